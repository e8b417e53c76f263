// Deterministic cost of encode() and render(): instructions counted by valgrind's callgrind while
// test/cost/workload.mjs runs each stage over a fixed corpus. Wall time on the shared machines
// moves ±30 % between runs; these counts repeat within about 1 % for the same Node, build and
// corpus, so a budget can be checked in `npm test` (cost.test.ts) and updated on purpose
// (`npm run cost:budget`, update-budget.ts). Needs valgrind and a built tree (build/js).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gs1Corpus } from "../helpers/corpus.js";
import { gs1Corpus128 } from "../helpers/linear-corpus.js";

const run = promisify(execFile);

/** The corpus: small, so the run stays well under a minute under valgrind (startup is ~15 s). */
export const CORPUS_SIZE = 50;
export const CORPUS_SEED = 20261207;

/**
 * The stages the workload measures, in its order: the DataMatrix path (encode, then render to
 * SVG, PDF and PNG), the 1D route's GS1-128 SVG (validation, encode, layout and SVG, as
 * drawBarcode does them; bench: test/bench/linear.bench.ts) and the QR route's SVG of the same
 * payloads as Digital Link URIs (validation, URI, encode, SVG; bench: test/bench/qr.bench.ts).
 */
export const STAGES = ["encode", "svg", "pdf", "png", "gs1_128_svg", "qr_svg"] as const;
export type Stage = (typeof STAGES)[number];

/** Instructions per payload (the median of the measured rounds, divided by the corpus size). */
export type StageCosts = Record<Stage, number>;

/** Where the budget lives, and its shape. */
export const BUDGET_FILE = fileURLToPath(new URL("./budget.json", import.meta.url));
export interface BudgetFile {
  note: string;
  /** Allowed drift from the budget as fractions: above fails as a regression, below as stale. */
  margin: { above: number; below: number };
  /** Per Node version (process.version): instructions per payload per stage. */
  budgets: Record<string, StageCosts>;
}

const WORKLOAD = fileURLToPath(new URL("./workload.mjs", import.meta.url));
// Counting starts afresh on entering vm.Script#runInThisContext and is dumped on entering
// vm.createContext (see workload.mjs); both are C++ functions of node with stable names.
const ZERO_AT = "node::contextify::ContextifyScript::RunInContext*";
const DUMP_AT = "node::contextify::ContextifyContext::MakeContext*";

/**
 * V8 without its optimising tiers: JavaScript runs as baseline code (Sparkplug, compiled at
 * once) and WASM as optimised code (TurboFan, compiled at once, no Liftoff tier-up), on one
 * thread. With TurboFan on, compilations land in measured rounds as the JIT sees fit and a
 * stage's count moved 2-4x from round to round; this way rounds agree within 0.1 %. It weighs
 * the JavaScript side more than an optimised run would, so a regression there shows at least
 * as clearly.
 */
const NODE_FLAGS = [
  "--expose-gc",
  "--single-threaded",
  "--no-opt",
  "--no-maglev",
  "--always-sparkplug",
  "--no-liftoff",
];

/**
 * Runs the workload under callgrind with the Node running this process (NODE_FLAGS) and returns
 * the instructions per payload of each stage. Throws if valgrind fails or a dump is missing.
 */
export async function measureCosts(): Promise<StageCosts> {
  const dir = await mkdtemp(join(tmpdir(), "cost-"));
  try {
    const corpusFile = join(dir, "corpus.json");
    await writeFile(corpusFile, JSON.stringify(gs1Corpus(CORPUS_SIZE, CORPUS_SEED)));
    const linearFile = join(dir, "linear.json");
    await writeFile(linearFile, JSON.stringify(gs1Corpus128(CORPUS_SIZE, CORPUS_SEED)));
    const out = join(dir, "callgrind.out");
    const { stdout } = await run(
      "valgrind",
      [
        "--tool=callgrind",
        `--zero-before=${ZERO_AT}`,
        `--dump-before=${DUMP_AT}`,
        `--callgrind-out-file=${out}`,
        process.execPath,
        ...NODE_FLAGS,
        WORKLOAD,
        corpusFile,
        linearFile,
      ],
      { maxBuffer: 1 << 20 },
    );
    // Dump k (callgrind.out.k, from 1) is the k-th line the workload printed.
    const names = stdout.trim().split("\n");
    const files = new Set(await readdir(dir));
    const counts = new Map<string, number[]>();
    for (let k = 1; k <= names.length; k++) {
      if (!files.has(`callgrind.out.${k}`)) throw new Error(`callgrind wrote no dump ${k}`);
      const text = await readFile(`${out}.${k}`, "utf8");
      const totals = /^totals: (\d+)/m.exec(text);
      if (totals === null) throw new Error(`callgrind dump ${k} has no totals line`);
      counts.set(names[k - 1], [...(counts.get(names[k - 1]) ?? []), Number(totals[1])]);
    }
    const costs = {} as StageCosts;
    for (const stage of STAGES) {
      const rounds = counts.get(stage);
      if (rounds === undefined) throw new Error(`the workload measured no ${stage} stage`);
      const sorted = [...rounds].sort((a, b) => a - b);
      costs[stage] = Math.round(sorted[Math.floor(sorted.length / 2)] / CORPUS_SIZE);
    }
    return costs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads the committed budget file. */
export async function readBudget(): Promise<BudgetFile> {
  return JSON.parse(await readFile(BUDGET_FILE, "utf8")) as BudgetFile;
}

/**
 * Returns the budget for Node `version`: its own, else the newest recorded for the same major
 * version (counts move little between patch releases; the margin absorbs it), else undefined.
 */
export function budgetFor(
  file: BudgetFile,
  version: string,
): { version: string; costs: StageCosts } | undefined {
  if (file.budgets[version]) return { version, costs: file.budgets[version] };
  const major = version.split(".")[0];
  const same = Object.keys(file.budgets)
    .filter((v) => v.split(".")[0] === major)
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const newest = same.at(-1);
  return newest === undefined ? undefined : { version: newest, costs: file.budgets[newest] };
}
