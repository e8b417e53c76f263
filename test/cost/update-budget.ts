// `npm run cost:budget`: measures the cost guard's stages on the Node running it and writes them
// as that version's budget in test/cost/budget.json, keeping the other versions' budgets. Run it
// after a change that is meant to cost more (or, having made things cheaper, to lock the gain
// in), once per Node version CI tests (see README, "Cost guard"), and commit the file.
import { writeFile } from "node:fs/promises";
import { BUDGET_FILE, type BudgetFile, measureCosts, readBudget } from "./measure.js";

const file: BudgetFile = await readBudget().catch(() => ({
  note: "",
  margin: { above: 0.05, below: 0.1 },
  budgets: {},
}));
file.note =
  "Instructions per payload (callgrind) of each stage of test/cost/workload.mjs, per Node " +
  "version; written by `npm run cost:budget`, checked by test/cost/cost.test.ts.";
const costs = await measureCosts();
file.budgets[process.version] = costs;
await writeFile(BUDGET_FILE, `${JSON.stringify(file, null, 2)}\n`);
console.log(`${process.version}: ${JSON.stringify(costs)} → ${BUDGET_FILE}`);
