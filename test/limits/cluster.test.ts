// src/limits/cluster.ts in a real node:cluster (cluster-fixture.ts): workers counting over IPC
// in the primary are exact together — N concurrent asks from each of several workers against a
// quota Q admit exactly Q, each remaining count told once — refused asks use up nothing, and
// subjects are counted apart. Outside a cluster worker the limiter refuses to start.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ClusterRateLimiter } from "../../src/limits/cluster.js";

const FIXTURE = fileURLToPath(new URL("./cluster-fixture.ts", import.meta.url));

interface Report {
  allowed: number;
  minuteLeft: number[];
  dayLeft: number[];
  refusedMinuteLeft: number[];
  otherMinuteLeft: number;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("ClusterRateLimiter with startClusterCounting", () => {
  it("admits exactly the quota across 3 workers asking 40 times each at once", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", FIXTURE, "3", "40", "50"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    const reports: Report[] = JSON.parse(out.trim().split("\n").at(-1) as string);
    expect(reports).toHaveLength(3);
    expect(reports.reduce((sum, r) => sum + r.allowed, 0)).toBe(50);
    const minuteLeft = reports.flatMap((r) => r.minuteLeft).sort((a, b) => a - b);
    expect(minuteLeft).toEqual(range(0, 49));
    // The refused 70 used up nothing: the day window counted the 50 admitted only.
    expect(reports.flatMap((r) => r.dayLeft).sort((a, b) => a - b)).toEqual(range(950, 999));
    expect(reports.flatMap((r) => r.refusedMinuteLeft).every((left) => left === 0)).toBe(true);
    expect(reports.map((r) => r.otherMinuteLeft).sort()).toEqual([47, 48, 49]);
  });

  it("refuses to run outside a cluster worker", () => {
    expect(() => new ClusterRateLimiter()).toThrow("ClusterRateLimiter needs a cluster worker.");
  });
});
