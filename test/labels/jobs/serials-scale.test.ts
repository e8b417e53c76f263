// Serial registry at the scale of one lot: LABELS_SERIALS_SCALE serials (default 100,000 so the
// suite stays quick; the 1,000,000 of a whole lot with LABELS_SERIALS_SCALE=1000000) recorded
// for one job, collisions found against them, the count, and the release, on both engines.
// Prints the times: the report of issue 18 quotes them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LabelStores } from "../../../src/labels/jobs/open.js";
import { createLabelDb, ENGINES, type TestLabelDb } from "./engines.js";

const SCALE = Number(process.env.LABELS_SERIALS_SCALE ?? 100_000);

describe.each(ENGINES)("%s serial registry at scale", (engine) => {
  let db: TestLabelDb;
  let stores: LabelStores;
  beforeAll(async () => {
    db = await createLabelDb(engine);
    stores = await db.open();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it(`records ${SCALE} serials, finds collisions and releases them`, async () => {
    const gtin = "09506000134352";
    const serials = Array.from({ length: SCALE }, (_, i) => `SN${String(i).padStart(10, "0")}`);
    const times: Record<string, number> = {};
    const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      const result = await work();
      times[label] = Math.round(performance.now() - start);
      return result;
    };
    expect(await time("insert", () => stores.serials.insertSerials(gtin, "big", serials))).toEqual(
      [],
    );
    const probe = [...serials.slice(0, 5000), ...serials.slice(0, 5000).map((s) => `${s}X`)];
    const collisions = await time("10k probe", () =>
      stores.serials.insertSerials(gtin, "probe", probe),
    );
    expect(collisions).toHaveLength(5000);
    expect(await time("count", () => stores.serials.issuedCount(gtin))).toBe(SCALE + 5000);
    expect(await time("release", () => stores.serials.releaseJob("big"))).toBe(SCALE);
    expect(await stores.serials.issuedCount(gtin)).toBe(5000);
    console.log(`${engine}: ${SCALE} serials, ms: ${JSON.stringify(times)}`);
  }, 600_000);
});
