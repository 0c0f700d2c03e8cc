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

function build(destination?: DestinationStream): Logger {
  const level = process.env.SCOPEGATE_LOG ?? "info";
  const options = {
    level,
    base: { service: "scopegate" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  // SCOPEGATE_LOG_FILE: append to a file instead of stderr (the test run scans it for secrets).
  const file = process.env.SCOPEGATE_LOG_FILE;
  return pino(
    options,
    file
      ? pino.destination({ dest: file, append: true, sync: true, mkdir: true })
      : pino.destination({ fd: 2, sync: true }),
  );
}

export let log: Logger = build();

/** Sends logs to another stream (tests capture them to scan for secrets). */
export function setLogDestination(destination: DestinationStream | undefined): void {
  log = build(destination);
}
