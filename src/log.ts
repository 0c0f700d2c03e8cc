/** Structured JSON lines on stderr. Callers never pass secrets; only ids and outcomes. */
type Fields = Record<string, unknown>;
function write(level: string, fields: Fields, msg: string) {
  if (process.env.SCOPEGATE_LOG === "silent") return;
  process.stderr.write(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }) + "\n");
}
export const log = {
  info: (fields: Fields, msg: string) => write("info", fields, msg),
  error: (fields: Fields, msg: string) => write("error", fields, msg),
};
