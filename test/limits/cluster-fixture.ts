// Run: node --import tsx cluster-fixture.ts WORKERS ASKS LIMIT
// The primary starts counting (startClusterCounting) and forks WORKERS workers; each sends ASKS
// concurrent counts for "key:1" against LIMIT per minute and 1000 per day, then one for
// "key:2", and reports what it was told. The primary prints every worker's report as one JSON
// line and exits.
import cluster from "node:cluster";
import { ClusterRateLimiter, startClusterCounting } from "../../src/limits/cluster.js";

const [workers, asks, limit] = process.argv.slice(2).map(Number);
const WINDOWS = [
  { limit, seconds: 60 },
  { limit: 1000, seconds: 86_400 },
];

if (cluster.isPrimary) {
  startClusterCounting();
  cluster.setupPrimary({ execArgv: ["--import", "tsx"] });
  const reports: unknown[] = [];
  for (let i = 0; i < workers; i++) {
    cluster.fork().on("message", (message) => {
      if (message?.type !== "report") return;
      reports.push(message);
      if (reports.length === workers) {
        process.stdout.write(`${JSON.stringify(reports)}\n`);
        for (const w of Object.values(cluster.workers ?? {})) w?.kill();
        process.exit(0);
      }
    });
  }
} else {
  const limiter = new ClusterRateLimiter();
  const decisions = await Promise.all(
    Array.from({ length: asks }, () => limiter.consume("key:1", WINDOWS)),
  );
  const other = await limiter.consume("key:2", WINDOWS);
  process.send?.({
    type: "report",
    allowed: decisions.filter((d) => d.allowed).length,
    minuteLeft: decisions.filter((d) => d.allowed).map((d) => d.windows[0].remaining),
    dayLeft: decisions.filter((d) => d.allowed).map((d) => d.windows[1].remaining),
    refusedMinuteLeft: decisions.filter((d) => !d.allowed).map((d) => d.windows[0].remaining),
    otherMinuteLeft: other.windows[0].remaining,
  });
}
