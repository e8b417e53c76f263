// Builds the browser bundles: the preview into build/preview/{index.html, preview.js,
// release.wasm} — one ESM bundle of src/preview/preview.ts with "#core" resolved (package.json
// "imports") to the same build/wasm/release.js the server loads, and that glue's release.wasm
// copied next to it — and the API-keys dashboard into build/account/{index.html, dashboard.js}.
// Run: node scripts/build-preview.mjs (after asbuild). Prints the gzipped sizes.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const GLUE = "build/wasm/release.js";
const GLUE_WASM = "build/wasm/release.wasm";
const PAGE = "src/preview/index.html";

/**
 * Stubs the one Node builtin the AssemblyScript glue mentions: its `import("node:fs/promises")`
 * sits behind a `process.versions.node` check and never runs in a browser. Any other `node:`
 * import is a house-style violation (src/preview/ must reach only isomorphic modules), so it
 * fails the build instead of being stubbed.
 */
const nodeBuiltinsFromGlueOnly = {
  name: "node-builtins-from-glue-only",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      if (args.importer.replaceAll("\\", "/").endsWith(GLUE)) {
        return { path: args.path, namespace: "glue-node-stub" };
      }
      return {
        errors: [{ text: `${args.path} is a Node builtin; the preview must not import it` }],
      };
    });
    b.onLoad({ filter: /.*/, namespace: "glue-node-stub" }, (args) => ({
      // ESM (the export) so esbuild inlines it as a module, not a CommonJS wrapper.
      contents: `throw new Error(${JSON.stringify(`${args.path} is not available in a browser`)}); export {};`,
      loader: "js",
    }));
  },
};

/**
 * Bundles the preview into `outdir` (relative to the project root, or absolute) and returns
 * esbuild's metafile (inputs keyed by path relative to the project root). Each file is replaced
 * atomically, so a server starting meanwhile reads old or new files, never half-written ones.
 * With `write: false` nothing is written, which is how test/preview/bundle.test.ts inspects the
 * module graph. Rejects on any build error.
 */
export async function buildPreview({ outdir = "build/preview", write = true } = {}) {
  const out = resolve(ROOT, outdir);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/preview/preview.ts"],
    outfile: resolve(out, "preview.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    // Top-level await (the glue instantiates the WASM at import time) needs ES2022.
    target: "es2022",
    minify: true,
    legalComments: "none",
    metafile: true,
    write: false,
    logLevel: "warning",
    plugins: [nodeBuiltinsFromGlueOnly],
  });
  if (write) {
    await mkdir(out, { recursive: true });
    const [bundle] = result.outputFiles;
    await replaceFile(resolve(out, "preview.js"), bundle.contents);
    // The glue fetches new URL("release.wasm", import.meta.url): the bundle's own URL.
    await replaceFile(resolve(out, "release.wasm"), await readFile(resolve(ROOT, GLUE_WASM)));
    await replaceFile(resolve(out, "index.html"), await readFile(resolve(ROOT, PAGE)));
  }
  return result.metafile;
}

/**
 * Bundles the account dashboard (src/dashboard/dashboard.ts, no WASM) into `outdir` with its page,
 * each file replaced atomically. Rejects on any build error.
 */
export async function buildAccount({ outdir = "build/account" } = {}) {
  const out = resolve(ROOT, outdir);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/dashboard/dashboard.ts"],
    outfile: resolve(out, "dashboard.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });
  await mkdir(out, { recursive: true });
  await replaceFile(resolve(out, "dashboard.js"), result.outputFiles[0].contents);
  await replaceFile(
    resolve(out, "index.html"),
    await readFile(resolve(ROOT, "src/dashboard/index.html")),
  );
}

// Write beside, then rename: rename(2) within one directory is atomic.
async function replaceFile(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

async function gzipped(path) {
  return gzipSync(await readFile(path), { level: 9 }).length;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await Promise.all([buildPreview(), buildAccount()]);
  const files = ["preview/preview.js", "preview/release.wasm", "preview/index.html"];
  for (const name of [...files, "account/dashboard.js", "account/index.html"]) {
    const path = `${ROOT}build/${name}`;
    const raw = (await readFile(path)).length;
    console.log(`build/${name}: ${raw} B, ${await gzipped(path)} B gzipped`);
  }
}
