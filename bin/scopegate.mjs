#!/usr/bin/env node
// The `scopegate` command: runs the TypeScript CLI through tsx (a runtime dependency, as for `npm start`).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
