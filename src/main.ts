import { ConfigError, readSettings } from "./config.js";
import { Gateway } from "./gateway.js";
import { startHttp } from "./http/server.js";
import { log, logSetupProblem } from "./log.js";

/**
 * `npm start`: the gateway on PORT (4000) with the embedded engine persisting to ./data.
 * A start-up that cannot succeed (a bad setting, a log file or data folder that cannot be
 * written, a database that does not open within SCOPEGATE_CONNECT_TIMEOUT_MS) prints one line
 * `scopegate: cannot start: <cause>` on stderr and exits with status 1.
 */
async function main() {
  const settings = readSettings();
  const logProblem = logSetupProblem();
  if (logProblem) throw new ConfigError(logProblem);
  const gateway = await Gateway.start({ settings });
  const http = await startHttp(gateway, settings.port, settings.host, settings.http);
  log.info({ url: http.url }, "scopegate ready");
  const stop = async () => {
    await http.close();
    await gateway.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err) => {
  const cause = err instanceof Error ? err.message : String(err);
  console.error(`scopegate: cannot start: ${cause.replace(/\s*\n\s*/g, " ")}`);
  process.exit(1);
});
