// The browser bundle and the server run one pipeline, not two: esbuild's module graph of the
// preview bundle (built by the real build script) against the graph of the server entry.
import { readFile } from "node:fs/promises";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPreview } from "../../scripts/build-preview.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;

// The modules that decide what a symbol is: validation, element string, encoder glue, WASM
// glue, and the SVG writer. A fork of any of them would let the page and the API disagree.
const SHARED = [
  "src/prepare.ts",
  "src/gs1/payload.ts",
  "src/gs1/ai/element-string.ts",
  "src/gs1/ai/table.generated.ts",
  "src/gs1/linters/index.ts",
  "src/request-schema.ts",
  "src/render/options.ts",
  "src/engine/encode.ts",
  "src/engine/core.ts",
  "src/render/svg.ts",
  "build/wasm/release.js",
];

// The only non-file input the preview may have: the stub for the glue's guarded
// import("node:fs/promises"), which only runs under Node.
const GLUE_STUB = "glue-node-stub:node:fs/promises";

let preview: Metafile;
let server: Metafile;

beforeAll(async () => {
  preview = (await buildPreview({ write: false })) as Metafile;
  // The server's entry as `npm start` runs it; its dynamic import("../index.js") is followed.
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/server/server.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    outdir: "out",
    logLevel: "silent",
  });
  server = result.metafile;
});

describe("the preview bundle", () => {
  it("includes the shared pipeline modules", () => {
    expect(Object.keys(preview.inputs)).toEqual(expect.arrayContaining(SHARED));
  });

  it("resolves #core to the glue the server uses, which loads release.wasm", async () => {
    expect(preview.inputs["src/engine/core.ts"].imports).toContainEqual(
      expect.objectContaining({ path: "build/wasm/release.js", original: "#core" }),
    );
    const glue = await readFile(`${ROOT}build/wasm/release.js`, "utf8");
    expect(glue).toContain('new URL("release.wasm", import.meta.url)');
  });

  it("shares every non-preview source module with the server (no browser-only fork)", () => {
    // src/dashboard/ is browser UI too (the session client the dashboard shares), not pipeline.
    const own = Object.keys(preview.inputs).filter(
      (path) =>
        path !== GLUE_STUB &&
        !path.startsWith("src/preview/") &&
        !path.startsWith("src/dashboard/"),
    );
    const missing = own.filter((path) => !(path in server.inputs));
    expect(missing).toEqual([]);
  });

  it("reaches no Node builtin, no sharp and no npm package", () => {
    const inputs = Object.keys(preview.inputs);
    expect(inputs.filter((p) => p.includes("node:") && p !== GLUE_STUB)).toEqual([]);
    expect(inputs.filter((p) => p.includes("node_modules/") || p.includes("sharp"))).toEqual([]);
    expect(
      inputs.filter((p) => p.startsWith("src/render/png") || p.startsWith("src/server/")),
    ).toEqual([]);
    // The stub is reached only from the glue (the build fails on any other node: import).
    const stubImporters = inputs.filter((p) =>
      preview.inputs[p].imports.some((i) => i.path === GLUE_STUB),
    );
    expect(stubImporters).toEqual(["build/wasm/release.js"]);
  });

  it("is one self-contained file: no external imports at run time", () => {
    const outputs = Object.values(preview.outputs).filter((o) => o.entryPoint);
    expect(outputs).toHaveLength(1);
    expect(outputs[0].imports).toEqual([]);
  });
});

describe("the server entry", () => {
  it("includes the same shared pipeline modules", () => {
    expect(Object.keys(server.inputs)).toEqual(expect.arrayContaining(SHARED));
  });
});
