import { pino, type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs (pino). Callers pass ids and outcomes, never secrets; the redaction
 * list below is a second net for fields that could carry one (headers, secrets, provider keys).
 * SCOPEGATE_LOG: a pino level (info by default) or `silent`.
 */
const REDACT = [
  "authorization", "*.authorization", "headers.authorization", "headers[\"api-key\"]",
  "secret", "*.secret", "providers", "*.providers", "managementKey", "*.managementKey",
];

function build(destination?: DestinationStream): Logger {
  const level = process.env.SCOPEGATE_LOG ?? "info";
  const options = { level, base: { service: "scopegate" }, redact: { paths: REDACT, censor: "[redacted]" }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options, pino.destination({ fd: 2, sync: true }));
}

export let log: Logger = build();

/** Sends logs to another stream (tests capture them to scan for secrets). */
export function setLogDestination(destination: DestinationStream | undefined): void {
  log = build(destination);
}
