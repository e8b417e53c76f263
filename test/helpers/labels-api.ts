// The label-export API as the process tests call it: a JSON call with a key, submit, and
// polling a job until a condition holds (through transient 5xx when `tolerate` allows, as
// while a store is down).

export const EXPORT = "/products/api/v1/labels/export/";

export type Job = Record<string, unknown>;

/** fetch with the key, and Content-Type: application/json for a string body. */
export function call(base: string, key: string, path: string, init: RequestInit = {}) {
  return fetch(`${base}${path}`, {
    ...init,
    headers: {
      "X-API-Key": key,
      ...(init.body && typeof init.body === "string" ? { "Content-Type": "application/json" } : {}),
      ...(init.headers as Record<string, string>),
    },
  });
}

/** POSTs an export request; resolves to its status and JSON body. */
export async function submit(base: string, key: string, body: unknown) {
  const res = await call(base, key, EXPORT, { method: "POST", body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Job };
}

/**
 * Polls job `id` every 100 ms until `until` holds (at most 2,400 times). A non-200 answer
 * throws, unless `tolerate` is set: then 5xx answers and refused connections are waited out.
 */
export async function poll(
  base: string,
  key: string,
  id: string,
  until: (job: Job) => boolean,
  tolerate = false,
) {
  for (let i = 0; i < 2400; i++) {
    let res: Response | undefined;
    try {
      res = await call(base, key, `${EXPORT}${id}/`);
    } catch (err) {
      if (!tolerate) throw err;
    }
    if (res !== undefined) {
      const job = (await res.json()) as Job;
      const transient = tolerate && res.status >= 500;
      if (res.status !== 200 && !transient) {
        throw new Error(`polling ${id}: ${res.status} ${JSON.stringify(job)}`);
      }
      if (res.status === 200 && until(job)) return job;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} never reached the state`);
}

/** A job that will not change any more. */
export const finished = (j: Job) => j.status !== "pending" && j.status !== "processing";

/** A serial-generator request for `count` range serials from `start`. */
export const range = (start: number, count: number, extra: Record<string, unknown> = {}) => ({
  serials: {
    gtin: "09506000134352",
    lot: "L7",
    mode: "range",
    start,
    count,
    width: 6,
    prefix: "SN",
    ...extra,
  },
});

/** The index column of a manifest.csv, in order. */
export function manifestIndexes(manifest: string): number[] {
  return manifest
    .trim()
    .split("\r\n")
    .slice(1)
    .map((l) => Number(l.split(",")[0]));
}
