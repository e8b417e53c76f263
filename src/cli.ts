#!/usr/bin/env node
// Command line: render one GS1 DataMatrix from flags to a file or stdout.
import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { render, ValidationError } from "./index.js";

const USAGE = `Usage: gs1-datamatrix --gtin GTIN [--lot LOT] [--serial SERIAL] [--expiry YYMMDD]
                      [--format svg|png|pdf] [--shape square|rectangle|dmre|auto]
                      [--xdim-mm MM] [--quiet-zone N] [--dpi N] [--dark-color #RRGGBB]
                      [--light-color #RRGGBB] [--hri] [--strict-expiry] [-o FILE]

Writes the symbol to FILE (format taken from its extension unless --format is given) or to
stdout. Exit status: 0 on success, 2 on invalid input, 1 on any other failure.`;

const NUMBER_FLAGS = new Set(["xdim-mm", "quiet-zone", "dpi"]);

/** Turns flags into the HTTP payload shape; numbers parsed here so validation sees real types. */
function toPayload(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(values)) {
    if (value === undefined || flag === "output" || flag === "help") continue;
    const key = flag.replace(/-/g, "_");
    payload[key] =
      NUMBER_FLAGS.has(flag) &&
      typeof value === "string" &&
      value.trim() !== "" &&
      Number.isFinite(Number(value))
        ? Number(value)
        : value;
  }
  if (payload.format === undefined && typeof values.output === "string") {
    const ext = extname(values.output).slice(1).toLowerCase();
    if (ext === "svg" || ext === "png" || ext === "pdf") payload.format = ext;
  }
  return payload;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        gtin: { type: "string" },
        lot: { type: "string" },
        serial: { type: "string" },
        expiry: { type: "string" },
        format: { type: "string" },
        shape: { type: "string" },
        "xdim-mm": { type: "string" },
        "quiet-zone": { type: "string" },
        dpi: { type: "string" },
        "dark-color": { type: "string" },
        "light-color": { type: "string" },
        hri: { type: "boolean" },
        "strict-expiry": { type: "boolean" },
        output: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const { body } = await render(toPayload(values));
    if (typeof values.output === "string") writeFileSync(values.output, body);
    else process.stdout.write(body);
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      for (const issue of err.issues) process.stderr.write(`error: ${issue.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gs1-datamatrix: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
