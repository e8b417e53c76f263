// The cost guard: encode() and render() must not get dearer than the committed budget by more
// than its margin, measured in instructions (callgrind), which repeat where wall time does not.
// Cheaper by more than the lower margin fails too, so the budget follows real gains and a later
// regression cannot hide in the slack. Update on purpose with `npm run cost:budget` (README).
import { describe, expect, it } from "vitest";
import { budgetFor, measureCosts, readBudget, STAGES } from "./measure.js";

describe("instructions per payload (callgrind, fixed corpus)", () => {
  it("stay within the committed budget for this Node", async () => {
    const file = await readBudget();
    const budget = budgetFor(file, process.version);
    if (budget === undefined) {
      // Visible in the output; the budget is written per version (npm run cost:budget).
      console.warn(`cost guard: no budget for Node ${process.version}; run npm run cost:budget`);
      return;
    }
    const costs = await measureCosts();
    const { above, below } = file.margin;
    const report = STAGES.map((stage) => {
      const ratio = costs[stage] / budget.costs[stage];
      const verdict = ratio > 1 + above ? "dearer" : ratio < 1 - below ? "cheaper" : "ok";
      return `${stage}: ${costs[stage]} vs ${budget.costs[stage]} (${ratio.toFixed(3)}) ${verdict}`;
    });
    console.log(
      `cost guard, Node ${process.version} against ${budget.version}:\n${report.join("\n")}`,
    );
    expect(report.filter((line) => !line.endsWith(" ok"))).toEqual([]);
  }, 240_000);
});
