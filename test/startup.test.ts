import { createServer } from "node:http";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MANAGEMENT_KEY } from "./harness.js";
import { runGateway, startChildGateway, TSX } from "./childGateway.js";

const MAIN = resolve("src/main.ts");
const TSX_BIN = resolve(TSX);
/** Far above any case's own time: a case that waited for the connect timeout would show it. */
const CONNECT_TIMEOUT_MS = 25_000;
const temp = mkdtempSync(join(tmpdir(), "scopegate-startup-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const base = {
  PORT: "0",
  HOST: "127.0.0.1",
  SCOPEGATE_MANAGEMENT_KEY: MANAGEMENT_KEY,
  SCOPEGATE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
  SCOPEGATE_SURREAL_URL: "mem://",
  // The run's log file (vitest.config.ts), absolute: some cases run in another folder.
  SCOPEGATE_LOG_FILE: process.env.SCOPEGATE_LOG_FILE && resolve(process.env.SCOPEGATE_LOG_FILE),
};

/**
 * Runs `tsx src/main.ts` (npm start) with `env`, in `cwd`, as user `uid` if given; asserts exit
 * status 1, exactly one stderr line `scopegate: cannot start: …` matching `cause`, and that it
 * did not sit out the connect timeout.
 */
async function failsWith(
  env: Record<string, string | undefined>,
  cause: RegExp,
  opts: { cwd?: string; uid?: number } = {},
) {
  const run = await runGateway({ ...base, ...env }, { command: [TSX_BIN, MAIN], timeoutMs: 60_000, ...opts });
  const lines = run.stderr.trim().split("\n");
  expect({ code: run.code, lines }).toEqual({ code: 1, lines: [expect.stringMatching(/^scopegate: cannot start: /)] });
  expect(lines[0]).toMatch(cause);
  expect(run.ms).toBeLessThan(CONNECT_TIMEOUT_MS - 5_000);
  return run;
}

describe("start-up failures: one line with the cause on stderr, exit status 1, no waiting", () => {
  it("SCOPEGATE_LOG=verbose (was: a stack trace from pino)", async () => {
    await failsWith(
      { SCOPEGATE_LOG: "verbose" },
      /SCOPEGATE_LOG must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/,
    );
  });

  it("PORT='' (was: bound a random port)", async () => {
    await failsWith({ PORT: "" }, /PORT must be an integer 0–65535, got ""/);
  });

  it("surrealkv:// without a folder (was: wrote the database into the current folder)", async () => {
    const cwd = mkdtempSync(join(temp, "cwd-"));
    await failsWith({ SCOPEGATE_SURREAL_URL: "surrealkv://" }, /surrealkv:\/\/ names no data folder/, { cwd });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("surrealkv+versioned:// (was: passed validation and never opened)", async () => {
    await failsWith(
      { SCOPEGATE_SURREAL_URL: `surrealkv+versioned://${join(temp, "versioned")}` },
      /surrealkv\+versioned:\/\/ is not supported: the embedded engine .* never opens it/,
    );
  });

  it("a data path that is a file (was: waited 10 s and blamed another process)", async () => {
    const file = join(temp, "a-file");
    writeFileSync(file, "not a folder");
    await failsWith({ SCOPEGATE_SURREAL_URL: `surrealkv://${file}` }, new RegExp(`${file} is a file, not a folder`));
  });

  it("a data folder this process cannot write (was: waited 10 s and blamed another process)", async () => {
    const dir = join(temp, "read-only");
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    // Root ignores folder permissions: then the gateway runs as nobody, who cannot write there.
    const asRoot = process.getuid?.() === 0;
    await failsWith(
      { SCOPEGATE_SURREAL_URL: `surrealkv://${dir}/data`, ...(asRoot ? { SCOPEGATE_LOG_FILE: undefined } : {}) },
      /cannot create the data folder .*\/read-only\/data \(EACCES/,
      asRoot ? { uid: 65534 } : {},
    );
  });

  it("SCOPEGATE_LOG_FILE whose folder cannot exist (its parent is a file)", async () => {
    const file = join(temp, "log-parent-file");
    writeFileSync(file, "");
    await failsWith(
      { SCOPEGATE_LOG_FILE: join(file, "gateway.log") },
      /SCOPEGATE_LOG_FILE .*gateway\.log cannot be opened for appending \((ENOTDIR|EEXIST)\)/,
    );
  });

  it("SCOPEGATE_LOG_FILE in a missing folder: the folder is created and the log lines land there", async () => {
    const file = join(temp, "new", "logs", "gateway.log");
    const g = await startChildGateway(
      {
        SCOPEGATE_SURREAL_URL: "mem://",
        SCOPEGATE_MANAGEMENT_KEY: MANAGEMENT_KEY,
        SCOPEGATE_LOG: "info",
        SCOPEGATE_LOG_FILE: file,
      },
      { command: [TSX_BIN, MAIN] },
    );
    await g.stop();
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toContain('"msg":"scopegate ready"');
  });
});

describe("SCOPEGATE_SURREAL_URL=ws://… uses the SDK's remote engine", () => {
  it("a server on 127.0.0.1 sees the WebSocket upgrade to /rpc, and start-up fails with one line within the connect timeout", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    // A plain HTTP server, not SurrealDB: it records the upgrade and hangs up.
    server.on("upgrade", (req, socket) => {
      seen.push(`upgrade ${req.url} ${req.headers.upgrade}`);
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const run = await runGateway(
        { ...base, SCOPEGATE_SURREAL_URL: `ws://127.0.0.1:${port}`, SCOPEGATE_CONNECT_TIMEOUT_MS: "2000" },
        { command: [TSX_BIN, MAIN], timeoutMs: 60_000 },
      );
      const lines = run.stderr.trim().split("\n");
      expect({ code: run.code, lines }).toEqual({ code: 1, lines: [expect.any(String)] });
      expect(lines[0]).toMatch(
        new RegExp(`^scopegate: cannot start: database ws://127\\.0\\.0\\.1:${port} did not open within 2000 ms`),
      );
      expect(lines[0]).not.toMatch(/another process/);
      expect(seen).toContain("upgrade /rpc websocket");
      expect(seen.every((s) => s === "upgrade /rpc websocket")).toBe(true);
      // Start-up of tsx + the gateway takes a few seconds; the connect itself gave up at 2 s.
      expect(run.ms).toBeLessThan(20_000);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
