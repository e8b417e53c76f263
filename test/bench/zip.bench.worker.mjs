// Worker for zip.bench.ts variant (c): builds and encodes the block of entries it is asked for,
// as a render worker would, and hands the block back (transferred, not copied).
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register(); // worker threads do not inherit tsx's TypeScript loader
const { encodeEntries } = await import("../../src/labels/archive/entries.ts");
const { svgLike } = await import("../labels/archive/fixtures.ts");
const pool = Array.from({ length: 1000 }, (_, i) => svgLike(i, 2000));

parentPort.on("message", ({ id, from, to }) => {
  const files = [];
  for (let i = from; i < to; i++) {
    const name = `${String(i + 1).padStart(6, "0")}-09506000134352-SN${i + 1}.svg`;
    files.push({ name, data: pool[i % pool.length], compress: true });
  }
  const { block, entries } = encodeEntries(files);
  parentPort.postMessage({ id, block, entries }, [block.buffer]);
});
parentPort.postMessage("ready");
