// The load client of http.bench.ts, in a process of its own so that its CPU can be measured
// apart from the servers'. `node test/bench/load-client.mjs JOB.json`, where the job names the
// url, connections, duration and preroll (s), headers, the JSON file of request bodies (an
// array), an optional JSON file of ETags sent as If-None-Match (same indexes), the position to
// start at in the bodies and how many of them to cycle through. Once the bodies are loaded it
// sends `preroll` seconds of unmeasured load, prints "ready" and waits for a line on stdin, so
// the caller can read the server's CPU at the start; then it drives autocannon for `duration`
// (POST, body i and its headers for the i-th request) and prints one JSON line: the autocannon
// figures the bench uses, the new position, and its own CPU time (user + system, µs) over the
// measured run alone.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
/** @type {string[]} */
const bodies = JSON.parse(readFileSync(job.bodiesFile, "utf8"));
/** @type {string[] | undefined} */
const etags = job.etagsFile ? JSON.parse(readFileSync(job.etagsFile, "utf8")) : undefined;
const range = Math.min(job.range ?? bodies.length, bodies.length);
let cursor = job.cursor ?? 0;

/** Runs autocannon for `duration` seconds, cycling through the bodies from `cursor`. */
const run = (duration) =>
  autocannon({
    url: job.url,
    connections: job.connections,
    duration,
    requests: [
      {
        setupRequest(req) {
          const i = cursor++ % range;
          const headers = etags ? { ...job.headers, "if-none-match": etags[i] } : job.headers;
          return { ...req, method: "POST", body: bodies[i], headers };
        },
      },
    ],
  });

// Unmeasured: warms this fresh process's JIT, and the server after its idle time.
if (job.preroll > 0) await run(job.preroll);
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.pause();

const before = process.cpuUsage();
const result = await run(job.duration);
const cpu = process.cpuUsage(before);
const out = {
  requests: { total: result.requests.total },
  latency: { p50: result.latency.p50, p99: result.latency.p99 },
  non2xx: result.non2xx,
  "3xx": result["3xx"],
  errors: result.errors,
  timeouts: result.timeouts,
  cursor,
  clientCpuUs: cpu.user + cpu.system,
};
// Synchronous on Linux for a pipe, so nothing is lost by exiting right after.
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
