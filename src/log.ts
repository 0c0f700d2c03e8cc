import { mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pino, type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs (pino). Callers pass ids and outcomes, never secrets; the redaction
 * list below is a second net for fields that could carry one (headers, secrets, provider keys).
 * SCOPEGATE_LOG: a pino level (info by default) or `silent`.
 */
const REDACT = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  'headers["api-key"]',
  'headers["scopegate-router-secret"]',
  "routerSecret",
  "*.routerSecret",
  "secret",
  "*.secret",
  "providers",
  "*.providers",
  "managementKey",
  "*.managementKey",
];

let setupProblem: string | null = null;

/**
 * Builds the logger from SCOPEGATE_LOG and SCOPEGATE_LOG_FILE. It runs when this module is
 * first imported, before settings are read, so it never throws: a bad level falls back to
 * `info` (readSettings reports it), and a log file that cannot be opened falls back to stderr
 * and is reported by `logSetupProblem()` (main stops on it). A missing folder of the log file
 * is created.
 */
function build(destination?: DestinationStream): Logger {
  setupProblem = null;
  const requested = process.env.SCOPEGATE_LOG ?? "info";
  const level = requested === "silent" || requested in pino.levels.values ? requested : "info";
  const options = {
    level,
    base: { service: "scopegate" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  // SCOPEGATE_LOG_FILE: append to a file instead of stderr (the test run scans it for secrets).
  const file = process.env.SCOPEGATE_LOG_FILE;
  if (file) {
    try {
      // Opened here, synchronously, so a path that cannot be written is known at start-up
      // instead of every line being lost later.
      mkdirSync(dirname(resolve(file)), { recursive: true });
      const fd = openSync(file, "a");
      return pino(options, pino.destination({ fd, sync: true }));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      setupProblem = `SCOPEGATE_LOG_FILE ${file} cannot be opened for appending (${e.code ?? e.message})`;
    }
  }
  return pino(options, pino.destination({ fd: 2, sync: true }));
}

export let log: Logger = build();

/** Why the log file of SCOPEGATE_LOG_FILE could not be used (logs then go to stderr), or null. */
export function logSetupProblem(): string | null {
  return setupProblem;
}

/** Sends logs to another stream (tests capture them to scan for secrets). */
export function setLogDestination(destination: DestinationStream | undefined): void {
  log = build(destination);
}
