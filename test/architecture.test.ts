// The picture of the house (issue 15): every module under src/ sits in a layer, and imports run
// only to its own layer or lower ones; no import circle. Imports are read with TypeScript's own
// scanner (ts.preProcessFile: static imports, re-exports, `import type` and dynamic import()).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

/**
 * The layers, lowest first. A module belongs to the layer of the longest pattern that matches
 * its path under src/ ("dir/" matches the folder and everything below it, otherwise the exact
 * file), so "render/raster/" takes its files from "render/". A module may import its own layer
 * and any lower one.
 */
const LAYERS: readonly { name: string; holds: readonly string[] }[] = [
  {
    name: "foundation: time, issues, shared names, field reading, error wording, result bytes",
    holds: [
      "clock.ts",
      "issues.ts",
      "types.ts",
      "read-field.ts",
      "describe-error.ts",
      "result-bytes.ts",
    ],
  },
  {
    name: "GS1 rules and the WASM cores (symbol engine, deflate)",
    holds: ["gs1/", "engine/", "deflate/"],
  },
  { name: "vector renderers (browser-safe)", holds: ["render/"] },
  { name: "raster side (Node-only)", holds: ["render/raster/"] },
  { name: "the PNG entry over the raster side", holds: ["render/png.ts", "render/tif.ts"] },
  {
    name: "the request: its description and the payload",
    holds: ["request-schema.ts", "payload.ts"],
  },
  {
    name: "payload → render plan (DataMatrix, QR, 1D barcodes)",
    holds: ["prepare.ts", "prepare-qr.ts", "barcode/"],
  },
  { name: "the library entry", holds: ["index.ts"] },
  { name: "the browser session client", holds: ["dashboard/"] },
  { name: "front ends of the library: CLI, preview page", holds: ["cli.ts", "preview/"] },
  { name: "configuration", holds: ["config.ts"] },
  { name: "the database: connections, migrations, backup", holds: ["stores/"] },
  { name: "stores and their contracts", holds: ["keys/", "accounts/", "limits/"] },
  { name: "bulk label export", holds: ["labels/"] },
  { name: "operator CLIs", holds: ["operator/"] },
  {
    name: "server parts: problems, representation, metrics, OpenAPI",
    holds: ["server/"],
  },
  { name: "server middleware", holds: ["server/middleware/"] },
  { name: "the stores a server opens", holds: ["server/stores.ts"] },
  { name: "server routes", holds: ["server/routes/"] },
  { name: "the app and the startup banner", holds: ["server/app.ts", "server/banner.ts"] },
  { name: "cluster and process", holds: ["server/cluster.ts", "server/server.ts"] },
];

function layerOf(file: string): number {
  let best = -1;
  let bestLength = 0;
  LAYERS.forEach(({ holds }, layer) => {
    for (const pattern of holds) {
      const match = pattern.endsWith("/") ? file.startsWith(pattern) : file === pattern;
      if (match && pattern.length > bestLength) {
        best = layer;
        bestLength = pattern.length;
      }
    }
  });
  return best;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [relative(SRC, path).split(sep).join("/")] : [];
  });
}

// src/-relative module → the src/-relative modules it imports (relative specifiers only; "#core"
// and packages are outside the picture).
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(join(SRC, file), "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    graph.set(
      file,
      importedFiles
        .map((f) => f.fileName)
        .filter((spec) => spec.startsWith("."))
        .map((spec) =>
          posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, ".ts"),
        ),
    );
  }
  return graph;
}

// Every strongly connected component of more than one module, or a module importing itself
// (Tarjan's algorithm).
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = importGraph();

describe("the import picture of src/", () => {
  it("reads a plausible number of modules and imports", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });

  it("puts every module in a layer", () => {
    expect([...graph.keys()].filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it("imports only modules that exist", () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets.filter((t) => !graph.has(t)).map((t) => `${file} → ${t}`),
    );
    expect(missing).toEqual([]);
  });

  it("has no import from a lower layer to a higher one", () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((t) => graph.has(t) && layerOf(t) > layerOf(file))
        .map((t) => `${file} (${LAYERS[layerOf(file)].name}) → ${t} (${LAYERS[layerOf(t)].name})`),
    );
    expect(upward).toEqual([]);
  });

  it("has no import circle", () => {
    expect(circles(graph)).toEqual([]);
  });

  // The checks above would pass on an empty graph or a mis-parsed one: show they can fail.
  it("finds a circle and an upward import when there is one", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", []],
    ]);
    expect(circles(looped)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(layerOf("gs1/payload.ts")).toBeLessThan(layerOf("request-schema.ts"));
    expect(layerOf("render/raster/deflate.ts")).toBeGreaterThan(layerOf("render/svg.ts"));
    expect(layerOf("server/middleware/csrf.ts")).toBeLessThan(layerOf("server/routes/meta.ts"));
  });
});
