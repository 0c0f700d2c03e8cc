// Entry of a compute worker thread (piscina loads it by file URL). It is plain JavaScript because
// a worker starts without the parent's TypeScript loader: vitest transforms only its own module
// graph, and whether `tsx` (npm start, bin/scopegate.mjs) reaches workers through execArgv is an
// implementation detail. tsImport loads tasks.ts and everything it imports through a loader of
// its own, scoped to this import, so the same file works under npm start, vitest and plain node.
import { tsImport } from "tsx/esm/api";

const { runTask } = await tsImport("./tasks.ts", import.meta.url);

/** piscina calls the default export once per task: `{ name, input }` → TaskResult (see tasks.ts). */
export default runTask;
