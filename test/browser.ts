import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { chromium, type Browser } from "playwright-core";

/**
 * The one browser launcher of the test suite: headless Chromium driven by playwright-core.
 *
 * Where the binary comes from:
 * - `CHROMIUM_PATH` (an executable path) when set, e.g. Debian's `/usr/bin/chromium`;
 * - else `@sparticuz/chromium` (a devDependency): the Chromium headless shell shipped inside the npm
 *   package as `bin/chromium.br` (Brotli, ~64 MB), inflated once per package version into
 *   `node_modules/.cache/scopegate-chromium-<version>/` (~200 MB, ~2 s) and reused after that.
 *   `npm ci` is all a fresh machine needs: nothing is downloaded, at install or at run time.
 *
 * The package inflates into `os.tmpdir()`, and returns `/tmp/chromium` as is when one exists. On a
 * machine shared with other checkouts that file may be another version, or half written by a
 * concurrent run; so we point TMPDIR at a private staging folder for the inflation and rename the
 * finished folder into place (rename is atomic: a reader sees no folder or a complete one).
 */
export async function chromiumExecutable(): Promise<string> {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override} does not exist`);
    return override;
  }
  // The package's "exports" hide its package.json: find it from its CommonJS entry (build/cjs/index.cjs).
  const pkgDir = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..");
  const { version } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string };
  const dir = join(pkgDir, "..", "..", ".cache", `scopegate-chromium-${version}`);
  const binary = join(dir, "chromium");
  if (existsSync(binary)) return binary;

  const staging = `${dir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const { default: Chromium } = await import("@sparticuz/chromium");
    await Chromium.executablePath();
  } finally {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
  }
  try {
    renameSync(staging, dir);
  } catch (err) {
    // Another run finished first: use its folder, drop ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw err;
  }
  return binary;
}

/**
 * Flags for this machine. As root Chromium's sandbox cannot start (`--no-sandbox`). The network
 * is closed except for 127.0.0.1, so everything Chromium would fetch on its own (component
 * updates, sync, safe-browsing lists, domain-reliability reports, QUIC probes) is switched off:
 * left on, those connections fail at every start and slow it down.
 *
 * Not taken: `@sparticuz/chromium`'s own `args`, meant for AWS Lambda: they include
 * `--disable-web-security` (which would turn CORS off in a suite that tests CORS) and
 * `--single-process`.
 */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-pings",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-domain-reliability",
  "--disable-sync",
]);

/** A headless Chromium for one test file; close it in `afterAll`. `launchMs`: wall time of the launch itself. */
export async function launchChromium(): Promise<{ browser: Browser; launchMs: number }> {
  const executablePath = await chromiumExecutable();
  const started = performance.now();
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 30_000 });
  return { browser, launchMs: Math.round(performance.now() - started) };
}
