// Child process for the resume test: writes the first part of PLAN with a checkpoint, prints
// the checkpoint as a JSON line, goes on writing past it (a block, garbage, a file entry under
// way), prints "ready" and waits to be killed with SIGKILL — a crash, not a clean close.
// Run: node --import tsx crash-writer.ts <archive path> <manifest path>
import { appendFileSync } from "node:fs";
import { encodeEntries } from "../../../src/labels/archive/entries.js";
import { ZipWriter } from "../../../src/labels/archive/zip-file.js";
import { labelFiles, pngLike } from "./fixtures.js";

const [archivePath, manifestPath] = process.argv.slice(2);
const writer = await ZipWriter.open(archivePath);
for (const from of [1, 21]) {
  const { block, entries } = encodeEntries(labelFiles(from, 20));
  await writer.appendBlock(block, entries);
}
process.stdout.write(`${JSON.stringify(await writer.checkpoint())}\n`);
const { block, entries } = encodeEntries(labelFiles(41, 20));
await writer.appendBlock(block, entries);
appendFileSync(archivePath, pngLike(7, 5000));
appendFileSync(`${archivePath}.cd`, pngLike(8, 700));
void writer.addFileEntry("manifest.csv", manifestPath, true).catch(() => {});
process.stdout.write("ready\n");
setInterval(() => {}, 1000);
