// src/server/openapi.ts on its own: the document's internal references all resolve, every
// documented error response names the catalogue's status, the ErrorOut schema describes what
// the problem handler really sends for every code, the payload examples render, the label paths
// appear only when the instance serves them, and the stated limits are this instance's.
import { describe, expect, it } from "vitest";
import { render } from "../../src/index.js";
import { openapiDocument } from "../../src/server/openapi.js";
import { PROBLEMS, problemBody } from "../../src/server/problems.js";

const LIMITS = {
  keyDefault: { perMinute: 300, perDay: 10_000 },
  anonymous: { perMinute: 60, perDay: 1_000 },
};
const LABELS = {
  maxItems: 1_000_000,
  perDay: 1_000_000,
  maxActive: 2,
  maxUploadMb: 100,
  ttlHours: 24,
};

type Json = Record<string, unknown>;
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

// Every "$ref" string anywhere under `node`.
function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, found);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

// Follows a local JSON pointer ("#/components/schemas/X") in `doc`; undefined when it is not there.
function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], doc);
}

function operations(doc: Json): [string, string, Json][] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, op]): [string, string, Json] => [path, method, op as Json]),
  );
}

describe("openapiDocument", () => {
  const doc = JSON.parse(JSON.stringify(openapiDocument({ ...LIMITS, labels: LABELS }))) as Json;

  it("has no $ref that points nowhere", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((ref) => resolve(doc, ref) === undefined)).toEqual([]);
  });

  it("documents each problem response under the status the catalogue gives its code", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [path, method, op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        const code = /\(`([a-z_]+)`\)/.exec(String(response.description))?.[1];
        if (code === undefined || !(code in PROBLEMS)) continue;
        checked++;
        if (String(PROBLEMS[code as keyof typeof PROBLEMS].status) !== status) {
          wrong.push(`${method.toUpperCase()} ${path} ${status}: ${code}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });

  it("describes in ErrorOut every field the problem handler sends, for every code", () => {
    const errorOut = (doc.components as Json).schemas as Record<string, Json>;
    const schema = errorOut.ErrorOut as { required: string[]; properties: Record<string, Json> };
    for (const code of Object.keys(PROBLEMS) as (keyof typeof PROBLEMS)[]) {
      const body = JSON.parse(
        problemBody(code, { retryAfter: 3, details: [{ loc: ["body"], msg: "m", type: "t" }] }, 0),
      );
      for (const field of schema.required) expect(body).toHaveProperty(field);
      for (const field of Object.keys(body)) expect(schema.properties).toHaveProperty(field);
      expect(schema.properties.error_code.enum).toContain(body.error_code);
    }
  });

  it("gives DataMatrixPayload examples the service renders", async () => {
    const schemas = (doc.components as Json).schemas as Record<string, Json>;
    const examples = schemas.DataMatrixPayload.examples as Json[];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const { body, contentType } = await render(example);
      expect(contentType).toBe("image/svg+xml");
      expect(body.length).toBeGreaterThan(0);
    }
  });

  it("lists the label-export paths only when the instance serves them", () => {
    const without = openapiDocument(LIMITS) as Json;
    const paths = (d: Json) => Object.keys(d.paths as Json).filter((p) => p.includes("/labels/"));
    expect(paths(without)).toEqual([]);
    expect(paths(doc)).toEqual(
      expect.arrayContaining([
        "/products/api/v1/labels/export/",
        "/products/api/v1/labels/export/{job_id}/",
      ]),
    );
  });

  it("states the per-key and per-IP limits it is given", () => {
    const info = openapiDocument({
      keyDefault: { perMinute: 1_234, perDay: 56_789 },
      anonymous: { perMinute: 3, perDay: 4 },
    }).info.description;
    expect(info).toContain("1,234 requests/minute and 56,789/day per key");
    expect(info).toContain("limited per IP (3/minute, 4/day)");
  });
});
