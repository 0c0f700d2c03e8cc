import { readSettings } from "./config.js";
import { Gateway } from "./gateway.js";
import { startHttp } from "./http/server.js";
import { log } from "./log.js";

/** `npm start`: the gateway on PORT (4000) with the embedded engine persisting to ./data. */
async function main() {
  const settings = readSettings();
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
  console.error(`scopegate: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
