import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type RenderInput, renderAll } from "./determinism-cases.js";
import { FIXTURES, HRI_22, symbolOf } from "./fixtures.js";

const CHILD = fileURLToPath(new URL("./render-child.ts", import.meta.url));

/**
 * Runs the renderers in a fresh Node process (with `env` added to this one's) and returns the
 * SHA-256 of each output.
 */
function renderInChild(
  input: RenderInput,
  env: Record<string, string> = {},
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", CHILD],
      { env: { ...process.env, ...env } },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
    child.stdin?.end(JSON.stringify(input));
  });
}

describe("every renderer", () => {
  it("gives byte-identical output in this process and in two fresh processes", async () => {
    const symbol = symbolOf(FIXTURES[1]);
    const input: RenderInput = { ...symbol, modules: Array.from(symbol.modules), hri: HRI_22 };
    const [first, second] = await Promise.all([renderInChild(input), renderInChild(input)]);
    const here = Object.fromEntries(
      Object.entries(await renderAll(input)).map(([k, v]) => [
        k,
        createHash("sha256").update(v).digest("hex"),
      ]),
    );
    expect(Object.keys(here)).toEqual([
      "svg",
      "svgHri",
      "pdf",
      "pdfHri",
      "png",
      "pngPalette",
      "pngHri",
      "pngHri203",
      "pngHri300",
      "pngHri600",
    ]);
    expect(first).toEqual(here);
    expect(second).toEqual(here);
  });

  it("gives identical output for repeated calls in one process (no state leaks between calls)", async () => {
    const input: RenderInput = {
      ...symbolOf(FIXTURES[2]),
      modules: Array.from(symbolOf(FIXTURES[2]).modules),
      hri: ["(21) X"],
    };
    const a = await renderAll(input);
    // A different symbol in between exercises the shared scratch buffers and string caches.
    const other = symbolOf(FIXTURES[5]);
    await renderAll({ ...other, modules: Array.from(other.modules), hri: ["(10) Y"] });
    const b = await renderAll(input);
    for (const key of Object.keys(a))
      expect(Buffer.from(b[key]).equals(Buffer.from(a[key])), key).toBe(true);
  });
});

describe("HRI output", () => {
  // Issue 17: HRI text was set by font name, so a machine with other fonts (fontconfig resolving
  // "monospace" to Noto Sans Mono, say) drew other PNG bytes. Three fontconfig setups: none at
  // all, DejaVu only, and the machine's own (which has OCR-B installed, the very font the table
  // comes from, so a renderer that still asked the system would pick it up).
  it("has the same bytes whatever fonts fontconfig offers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fontconfig-"));
    try {
      const config = (dirs: string): string => {
        const file = join(dir, `${dirs.length}.conf`);
        writeFileSync(
          file,
          `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>${dirs}` +
            `<cachedir>${join(dir, "cache")}</cachedir></fontconfig>`,
        );
        return file;
      };
      const none = config("");
      const dejavu = config("<dir>/usr/share/fonts/truetype/dejavu</dir>");
      const symbol = symbolOf(FIXTURES[1]);
      const input: RenderInput = {
        ...symbol,
        modules: Array.from(symbol.modules),
        hri: [...HRI_22, "(99) AZaz!%&()*+,-./:;<=>?_"],
      };
      const [withNone, withDejavu, withDefault] = await Promise.all([
        renderInChild(input, { FONTCONFIG_FILE: none }),
        renderInChild(input, { FONTCONFIG_FILE: dejavu }),
        renderInChild(input),
      ]);
      expect(withNone).toEqual(withDefault);
      expect(withDejavu).toEqual(withDefault);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
