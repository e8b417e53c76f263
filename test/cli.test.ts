// The CLI as a user runs it: the compiled bin (npm test builds first), files and stdout.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flagOf, QR_REQUEST_FIELDS, REQUEST_FIELDS } from "../src/request-schema.js";
import { decodeImage } from "./helpers/decode.js";

const CLI = join(import.meta.dirname, "..", "build", "js", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Node before 20.19 warns when sharp imports its own package.json as a JSON module (the
// node-floor run, npm run test:node-floor, sees it): the runtime's line, not the CLI's output.
const NODE_JSON_WARNING =
  /^\(node:\d+\) ExperimentalWarning: Importing JSON modules[^\n]*\n(?:\(Use `node --trace-warnings[^\n]*\n)?/m;

/** The CLI's own stderr: what it wrote, without that warning of the runtime's. */
function stderrOf(r: { stderr: Buffer }): string {
  return r.stderr.toString("utf8").replace(NODE_JSON_WARNING, "");
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "buffer" });
}

describe("gs1-datamatrix CLI", () => {
  it("writes a PNG named by -o, format from the extension, that decodes to the payload", async () => {
    const file = join(dir, "a.png");
    const r = cli(
      "--gtin",
      "00012345678905",
      "--lot",
      "LOT-A001",
      "--serial",
      "SN-0001",
      "--expiry",
      "270630",
      "-o",
      file,
    );
    expect(r.status).toBe(0);
    const d = await decodeImage(readFileSync(file));
    expect([d.text, d.symbologyIdentifier]).toEqual([
      "01000123456789051727063010LOT-A001\x1d21SN-0001",
      "]d2",
    ]);
  });

  it("writes SVG to stdout by default and a PDF when asked", () => {
    const svg = cli("--gtin", "96385074", "--lot", "A1");
    expect(svg.status).toBe(0);
    expect(svg.stdout.toString("utf8")).toMatch(/^<svg /);
    const pdf = cli("--gtin", "96385074", "--serial", "1", "--format", "pdf");
    expect(pdf.status).toBe(0);
    expect(pdf.stdout.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("exits 2 with one line per problem on bad input", () => {
    const r = cli("--gtin", "00012345678906", "--lot", "LOT A");
    expect(r.status).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(stderrOf(r)).toBe(
      'error: AI (01) GTIN: value "00012345678906" at position 14: the check digit is 6; the digits before it give 5 (rule csum).\n' +
        'error: AI (10) BATCH/LOT: value "LOT A" at position 4: " " is not in set 82 (rule cset82).\n',
    );
  });

  it("exits 2 with the usage on an unknown flag", () => {
    const r = cli("--gtin", "00012345678905", "--colour", "red");
    expect(r.status).toBe(2);
    expect(r.stderr.toString("utf8")).toContain("Usage: gs1-datamatrix --gtin GTIN");
  });

  it("takes further AIs with repeated --ai AI=VALUE, ordered for the smallest symbol", async () => {
    const file = join(dir, "ais.png");
    const r = cli(
      "--gtin",
      "09506000134352",
      "--lot",
      "ABC",
      "--ai",
      "7003=2706301200",
      "--ai",
      "714=1234567",
      "-o",
      file,
    );
    expect(r.status).toBe(0);
    const d = await decodeImage(readFileSync(file));
    expect(d.symbologyIdentifier).toBe("]d2");
    // Independent of our order: the decoded fields, split at GS, are the ones sent.
    expect(d.text.split("\x1d").sort()).toEqual(
      ["010950600013435210ABC", "70032706301200", "7141234567"].sort(),
    );
  });

  it("takes --element-string in the bracketed form, and --data-format digital_link", async () => {
    const file = join(dir, "dl.png");
    const r = cli(
      "--element-string",
      "(01)09506000134352(21)A\\(1\\)",
      "--data-format",
      "digital_link",
      "-o",
      file,
    );
    expect(r.status).toBe(0);
    const d = await decodeImage(readFileSync(file));
    expect([d.text, d.symbologyIdentifier]).toEqual([
      "https://id.gs1.org/01/09506000134352/21/A%281%29",
      "]d1",
    ]);
  });

  it("names the AI and the rule for an association the dictionary forbids, and a bad --ai", () => {
    const ex = cli("--gtin", "09506000134352", "--serial", "1", "--ai", "235=12");
    expect(ex.status).toBe(2);
    expect(ex.stderr.toString("utf8")).toContain(
      "AI (21) SERIAL may not be used with AI (235) TPX",
    );
    const bad = cli("--gtin", "09506000134352", "--serial", "1", "--ai", "7003");
    expect(bad.status).toBe(2);
    expect(stderrOf(bad)).toBe('error: --ai takes AI=VALUE, e.g. 7003=2706301200; got "7003".\n');
  });

  it("documents every request field in --help, from the one request description", () => {
    const help = cli("--help").stdout.toString("utf8");
    for (const f of REQUEST_FIELDS) {
      expect(help).toContain(`--${flagOf(f)}`);
      expect(help).toContain(f.description);
    }
  });

  it("documents the QR fields in --help too", () => {
    const help = cli("--help").stdout.toString("utf8");
    for (const f of QR_REQUEST_FIELDS) expect(help).toContain(`--${flagOf(f)}`);
    expect(help).toContain("--symbology qr");
  });
});

describe("gs1-datamatrix --symbology qr", () => {
  it("writes a QR PNG of the Digital Link URI (]Q1) by default", async () => {
    const file = join(dir, "qr.png");
    const r = cli(
      "--symbology",
      "qr",
      "--gtin",
      "0950 6000 1343 52",
      "--lot",
      "LOT-A001",
      "--expiry",
      "270630",
      "--size",
      "300",
      "--error-correction",
      "Q",
      "-o",
      file,
    );
    expect(stderrOf(r)).toBe("");
    expect(r.status).toBe(0);
    const d = await decodeImage(readFileSync(file), "QRCode");
    expect([d.text, d.symbologyIdentifier]).toEqual([
      "https://id.gs1.org/01/09506000134352/10/LOT-A001?17=270630",
      "]Q1",
    ]);
  });

  it("writes a GS1 QR Code (]Q3) with --data-format element_string", async () => {
    const file = join(dir, "qr-gs1.png");
    const r = cli(
      "--symbology",
      "qr",
      "--gtin",
      "09506000134352",
      "--serial",
      "S1",
      "--data-format",
      "element_string",
      "-o",
      file,
    );
    expect(r.status).toBe(0);
    const d = await decodeImage(readFileSync(file), "QRCode");
    expect([d.text, d.symbologyIdentifier]).toEqual(["010950600013435221S1", "]Q3"]);
  });

  it("exits 2 for a flag of the other symbology or an unknown symbology", () => {
    const shape = cli("--symbology", "qr", "--gtin", "96385074", "--lot", "A", "--shape", "square");
    expect(shape.status).toBe(2);
    expect(stderrOf(shape)).toBe("error: --shape does not apply to --symbology qr.\n");
    const size = cli("--gtin", "96385074", "--lot", "A", "--size", "300");
    expect(size.status).toBe(2);
    expect(stderrOf(size)).toBe("error: --size does not apply to --symbology datamatrix.\n");
    const other = cli("--symbology", "aztec", "--gtin", "96385074", "--lot", "A");
    expect(other.status).toBe(2);
    expect(stderrOf(other)).toBe('error: --symbology takes datamatrix or qr; got "aztec".\n');
  });
});
