#!/usr/bin/env node
// Command line: render one GS1 DataMatrix (or, with --symbology qr, one QR Code) from flags to a
// file or stdout.
import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { planQrRender, planRender, ValidationError } from "./index.js";
import { type FieldSpec, flagOf, QR_REQUEST_FIELDS, REQUEST_FIELDS } from "./request-schema.js";

const SYMBOLOGIES = ["datamatrix", "qr"] as const;
type Symbology = (typeof SYMBOLOGIES)[number];
/** The QR fields the DataMatrix table lacks (size, error_correction), shown in their own list. */
const QR_ONLY_FIELDS = QR_REQUEST_FIELDS.filter(
  (q) => !REQUEST_FIELDS.some((f) => f.name === q.name),
);
/** Every flag either symbology takes. */
const ALL_FIELDS: readonly FieldSpec[] = [...REQUEST_FIELDS, ...QR_ONLY_FIELDS];
const FIELDS: Record<Symbology, readonly FieldSpec[]> = {
  datamatrix: REQUEST_FIELDS,
  qr: QR_REQUEST_FIELDS,
};

// Flags and usage come from the one description of the request (request-schema.ts): every
// payload field is a flag named after it (xdim_mm → --xdim-mm), booleans are switches.
function usageLine(f: FieldSpec): string {
  const flag = `--${flagOf(f)}`;
  const value = f.enum ? f.enum.join("|") : f.metavar;
  const shown = value === undefined ? flag : `${flag} ${value}`;
  return f.repeatable ? `[${shown}]...` : f.name === "gtin" ? shown : `[${shown}]`;
}

function wrap(words: string[], indent: string, width = 96): string {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line !== "" && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join("\n");
}

const USAGE = `Usage: gs1-datamatrix ${wrap([...REQUEST_FIELDS.map(usageLine), "[-o FILE]"], "                      ")}
       gs1-datamatrix --symbology qr ${wrap([...QR_REQUEST_FIELDS.map(usageLine), "[-o FILE]"], "                      ")}

${REQUEST_FIELDS.map((f) => `  --${flagOf(f).padEnd(16)} ${f.description}`).join("\n")}

With --symbology qr (a QR Code; data_format defaults to digital_link, quiet_zone to 4, and
--shape does not apply), also:
${QR_ONLY_FIELDS.map((f) => `  --${flagOf(f).padEnd(16)} ${f.description}`).join("\n")}

Writes the symbol to FILE (format taken from its extension unless --format is given) or to
stdout. --ai takes AI=VALUE and may be repeated (--ai 7003=2706301200 --ai 714=1234567).
Exit status: 0 on success, 2 on invalid input, 1 on any other failure.`;

/** parseArgs options for every field, plus -o and -h. */
function flagOptions() {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (const f of ALL_FIELDS) {
    options[flagOf(f)] = {
      type: f.type === "boolean" ? "boolean" : "string",
      ...(f.repeatable ? { multiple: true } : {}),
    };
  }
  options.symbology = { type: "string" };
  options.output = { type: "string", short: "o" };
  options.help = { type: "boolean", short: "h" };
  return options;
}

/** A flag value the CLI cannot turn into the payload, e.g. --ai without "=". */
class FlagError extends Error {}

/** Returns the --symbology value (default datamatrix); FlagError for any other. */
function symbologyOf(values: Record<string, unknown>): Symbology {
  const value = values.symbology ?? "datamatrix";
  if (!SYMBOLOGIES.includes(value as Symbology)) {
    throw new FlagError(`--symbology takes datamatrix or qr; got "${String(value)}".`);
  }
  return value as Symbology;
}

/**
 * Turns flags into the HTTP payload shape of `symbology`; numbers parsed here so validation
 * sees real types. A flag of the other symbology only (--shape for qr, --size for datamatrix)
 * is a FlagError.
 */
function toPayload(
  values: Record<string, string | boolean | string[] | undefined>,
  symbology: Symbology,
): Record<string, unknown> {
  const fields = FIELDS[symbology];
  for (const f of ALL_FIELDS) {
    if (
      values[flagOf(f)] !== undefined &&
      !fields.includes(f) &&
      !fields.some((g) => g.name === f.name)
    ) {
      throw new FlagError(`--${flagOf(f)} does not apply to --symbology ${symbology}.`);
    }
  }
  const payload: Record<string, unknown> = {};
  for (const f of fields) {
    const value = values[flagOf(f)];
    if (value === undefined) continue;
    if (f.type === "object") {
      const ais: Record<string, string> = {};
      for (const pair of value as string[]) {
        const eq = pair.indexOf("=");
        if (eq < 1)
          throw new FlagError(
            `--${flagOf(f)} takes AI=VALUE, e.g. 7003=2706301200; got "${pair}".`,
          );
        ais[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      payload[f.name] = ais;
    } else if (
      (f.type === "number" || f.type === "integer") &&
      typeof value === "string" &&
      value.trim() !== "" &&
      Number.isFinite(Number(value))
    ) {
      payload[f.name] = Number(value);
    } else payload[f.name] = value;
  }
  if (payload.format === undefined && typeof values.output === "string") {
    const ext = extname(values.output).slice(1).toLowerCase();
    if (ext === "svg" || ext === "png" || ext === "pdf" || ext === "eps" || ext === "tif") {
      payload.format = ext;
    }
  }
  return payload;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: flagOptions(),
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    // Flags are untyped text until judged: planRender takes anything and validates it.
    const symbology = symbologyOf(values);
    const plan = symbology === "qr" ? planQrRender : planRender;
    const body = await plan(toPayload(values, symbology)).draw();
    if (typeof values.output === "string") writeFileSync(values.output, body);
    else process.stdout.write(body);
    return 0;
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (!(err instanceof ValidationError)) throw err;
    for (const issue of err.issues) process.stderr.write(`error: ${issue.message}\n`);
    return 2;
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
