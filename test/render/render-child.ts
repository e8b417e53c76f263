// Child process for determinism.test.ts: reads a module matrix and options as JSON on stdin,
// renders every format, and prints each output's SHA-256 as JSON.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { renderAll } from "./determinism-cases.js";

const input = JSON.parse(readFileSync(0, "utf8"));
const outputs = await renderAll(input);
const digest = (bytes: Uint8Array | string): string =>
  createHash("sha256").update(bytes).digest("hex");
process.stdout.write(
  JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, digest(v)]))),
);
