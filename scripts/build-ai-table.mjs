// Builds src/gs1/ai/table.generated.ts from reference/gs1-syntax-dictionary.txt (the GS1 Barcode Syntax
// Dictionary, github.com/gs1/gs1-syntax-dictionary, Apache-2.0, see reference/README.md).
//
//   node scripts/build-ai-table.mjs           writes the table
//   node scripts/build-ai-table.mjs --check   exits 1 when the committed table is not current
//
// The dictionary format, as this parser reads it (the file's own header comment is the authority):
//
//   AIs  [Flags]  Specification  [Attributes...]  [# Title]
//
//   AIs            one AI ("01") or a range of AIs of the same width ("3100-3105", "91-99"),
//                  expanded here into one entry per AI.
//   Flags          one token of punctuation; "*" predefined length, no FNC1 after the AI;
//                  "?" permitted as a GS1 Digital Link data attribute. Other flags are refused.
//   Specification  whitespace-separated components "Type[,linter...]": Type is a charset letter
//                  (N digits, X set 82, Y set 39, Z base64url) and a length, "N6" (exactly 6),
//                  "X..20" (1 to 20), or "N1..20"; "[...]" around the type makes the component
//                  optional, with its linters inside or after the bracket ("[N3],iso3166").
//                  Only the last component may vary in length, and no mandatory component
//                  may follow an optional one.
//   Attributes     "req=01+21,02,35nn" alternatives of "+"-joined groups, "n" any digit;
//                  "ex=8111,394n" AIs or patterns excluded; "dlpkey" a Digital Link primary key,
//                  "dlpkey=22,10,21|235" with alternative ordered qualifier sequences.
//                  Repeated "ex" accumulate; a repeated "req" or "dlpkey" is refused, because
//                  AiEntry.req cannot say "all of these rules" (change the type first).
//   Title          everything after the first "#", trimmed; "" when absent.
//
// Any line the parser cannot read stops the build with its line number: the table is only ever
// the dictionary, never a guess about it.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DICTIONARY_PATH = join(ROOT, "reference", "gs1-syntax-dictionary.txt");
export const TABLE_PATH = join(ROOT, "src", "gs1", "ai", "table.generated.ts");

const FLAG_CHARS = "*!?\"$%&'()+,-./:;<=>@[\\]^_`{|}~";
const COMPONENT = /^([NXYZ])(?:(\d+)|(\d*)\.\.(\d+))$/;
const LINTER = /^[a-z][a-z0-9]*$/;
const AI_OR_PATTERN = /^[0-9][0-9n]{1,3}$/;

/**
 * Parses the dictionary text and returns { release, entries }: the "Release:" value of its header
 * ("" if none) and one AiEntry-shaped object per AI, ranges expanded, in file order. Throws Error
 * naming the line for anything it cannot read, a duplicate AI, or AIs out of lexical order.
 */
export function parseDictionary(text) {
  const release = /^#\s*Release:\s*(.*)$/m.exec(text)?.[1].trim() ?? "";
  const entries = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    try {
      entries.push(...parseLine(line));
    } catch (error) {
      throw new Error(`gs1-syntax-dictionary.txt line ${i + 1}: ${error.message}\n  ${line}`);
    }
  }
  for (let i = 1; i < entries.length; i++) {
    if (entries[i - 1].ai >= entries[i].ai) {
      throw new Error(`AI ${entries[i].ai} is duplicated or out of lexical order`);
    }
  }
  return { release, entries };
}

function parseLine(line) {
  const hash = line.indexOf("#");
  const title = hash < 0 ? "" : line.slice(hash + 1).trim();
  const tokens = (hash < 0 ? line : line.slice(0, hash)).trim().split(/\s+/);

  const ais = expandAis(tokens.shift());
  let fixedLength = false;
  let dlDataAttribute = false;
  if (tokens.length > 0 && isFlags(tokens[0])) {
    for (const flag of tokens.shift()) {
      if (flag === "*") fixedLength = true;
      else if (flag === "?") dlDataAttribute = true;
      else throw new Error(`unknown flag "${flag}"`);
    }
  }

  const components = [];
  while (tokens.length > 0 && !isAttribute(tokens[0]))
    components.push(parseComponent(tokens.shift()));
  if (components.length === 0) throw new Error("no components");
  checkComponentOrder(components);

  const attributes = { req: null, ex: [], dlPrimaryKey: false, dlKeyQualifiers: null };
  for (const token of tokens) parseAttribute(token, attributes);

  return ais.map((ai) => ({
    ai,
    title,
    fixedLength,
    dlDataAttribute,
    components,
    req: attributes.req ?? [],
    ex: attributes.ex,
    dlPrimaryKey: attributes.dlPrimaryKey,
    dlKeyQualifiers: attributes.dlKeyQualifiers ?? [],
  }));
}

// "3100-3105" → ["3100", ..., "3105"]; both ends must be digits of the same width.
function expandAis(token) {
  const match = /^(\d{2,4})(?:-(\d{2,4}))?$/.exec(token ?? "");
  if (!match) throw new Error(`"${token}" is not an AI or a range of AIs`);
  const [, first, last = first] = match;
  if (first.length !== last.length || Number(last) < Number(first)) {
    throw new Error(`"${token}" is not a range of AIs of one width`);
  }
  const ais = [];
  for (let n = Number(first); n <= Number(last); n++)
    ais.push(String(n).padStart(first.length, "0"));
  return ais;
}

function isFlags(token) {
  return !/^\[?[NXYZ]/.test(token) && [...token].every((c) => FLAG_CHARS.includes(c));
}

function isAttribute(token) {
  return token.includes("=") || token === "dlpkey";
}

// "N14,csum,gcppos2", "X..20", "[X..17]", "[N3],iso3166", "[N2,mi]".
function parseComponent(token) {
  let optional = false;
  let type = token;
  let linterText = "";
  if (token.startsWith("[")) {
    const close = token.indexOf("]");
    if (close < 0) throw new Error(`component "${token}" has no "]"`);
    optional = true;
    type = token.slice(1, close);
    linterText = token.slice(close + 1);
    if (linterText !== "" && !linterText.startsWith(",")) {
      throw new Error(`component "${token}" has text after "]"`);
    }
  }
  const [spec, ...inner] = type.split(",");
  const linters = [...inner, ...linterText.split(",").slice(1)];
  const match = COMPONENT.exec(spec);
  if (!match) throw new Error(`"${token}" is not a component`);
  for (const linter of linters) {
    if (!LINTER.test(linter)) throw new Error(`"${linter}" in "${token}" is not a linter name`);
  }
  const [, charset, fixed, minText, maxText] = match;
  const min = fixed !== undefined ? Number(fixed) : minText === "" ? 1 : Number(minText);
  const max = fixed !== undefined ? Number(fixed) : Number(maxText);
  if (min < 1 || max < min) throw new Error(`component "${token}" has lengths ${min} to ${max}`);
  return { charset, min, max, optional, linters };
}

function checkComponentOrder(components) {
  components.forEach((component, i) => {
    const last = i === components.length - 1;
    if (!last && component.min !== component.max) {
      throw new Error(`component ${i + 1} varies in length but is not the last`);
    }
    if (i > 0 && components[i - 1].optional && !component.optional) {
      throw new Error(`mandatory component ${i + 1} follows an optional one`);
    }
  });
}

function parseAttribute(token, attributes) {
  const eq = token.indexOf("=");
  const key = eq < 0 ? token : token.slice(0, eq);
  const value = eq < 0 ? null : token.slice(eq + 1);
  switch (key) {
    case "req":
      if (attributes.req !== null) throw new Error("a second req= (AiEntry.req cannot hold it)");
      attributes.req = splitList(value, ",").map((group) => splitList(group, "+").map(aiOrPattern));
      break;
    case "ex":
      attributes.ex.push(...splitList(value, ",").map(aiOrPattern));
      break;
    case "dlpkey":
      if (attributes.dlPrimaryKey) throw new Error("a second dlpkey");
      attributes.dlPrimaryKey = true;
      attributes.dlKeyQualifiers =
        value === null ? [] : splitList(value, "|").map((seq) => splitList(seq, ",").map(exactAi));
      break;
    default:
      throw new Error(`unknown attribute "${token}"`);
  }
}

function splitList(text, separator) {
  if (text === null || text === "") throw new Error("an attribute without a value");
  const parts = text.split(separator);
  if (parts.some((p) => p === "")) throw new Error(`empty item in "${text}"`);
  return parts;
}

function aiOrPattern(text) {
  if (!AI_OR_PATTERN.test(text)) throw new Error(`"${text}" is not an AI or AI pattern`);
  return text;
}

function exactAi(text) {
  if (!/^\d{2,4}$/.test(text)) throw new Error(`"${text}" is not an AI`);
  return text;
}

/** Returns the TypeScript source of src/gs1/ai/table.generated.ts for parseDictionary's result. */
export function renderTable({ release, entries }) {
  const list = (items) => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
  const nested = (groups) => `[${groups.map(list).join(", ")}]`;
  const component = (c) =>
    `{ charset: "${c.charset}", min: ${c.min}, max: ${c.max}, optional: ${c.optional}, ` +
    `linters: ${list(c.linters)} }`;
  const rows = entries.map(
    (e) =>
      `  { ai: "${e.ai}", title: ${JSON.stringify(e.title)}, fixedLength: ${e.fixedLength}, ` +
      `dlDataAttribute: ${e.dlDataAttribute}, components: [${e.components.map(component).join(", ")}], ` +
      `req: ${nested(e.req)}, ex: ${list(e.ex)}, dlPrimaryKey: ${e.dlPrimaryKey}, ` +
      `dlKeyQualifiers: ${nested(e.dlKeyQualifiers)} },`,
  );
  return `// GENERATED by scripts/build-ai-table.mjs from reference/gs1-syntax-dictionary.txt: do not edit.
// Regenerate with \`node scripts/build-ai-table.mjs\`; \`--check\` fails when this file is stale.
// GS1 Barcode Syntax Dictionary (c) GS1 AISBL, Apache-2.0, Release: ${release || "(none)"}; see reference/README.md.
// biome-ignore-all format: generated, one AI per line so that dictionary updates diff line by line
import type { AiEntry } from "./types.js";

/** The "Release:" line of the dictionary this table was generated from. */
export const AI_DICTIONARY_RELEASE = ${JSON.stringify(release)};

/**
 * Every AI of the GS1 Barcode Syntax Dictionary (${entries.length}), ranges expanded, in lexical order of
 * the AI; deeply frozen. Look AIs up through src/gs1/ai/lookup.ts.
 */
export const AI_TABLE: readonly AiEntry[] = deepFreeze([
${rows.join("\n")}
]);

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
`;
}

function main(args) {
  const source = renderTable(parseDictionary(readFileSync(DICTIONARY_PATH, "utf8")));
  if (args.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(TABLE_PATH, "utf8");
    } catch {}
    if (current !== source) {
      console.error(`${TABLE_PATH} is stale; run: node scripts/build-ai-table.mjs`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(TABLE_PATH, source);
  console.log(`wrote ${TABLE_PATH}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
