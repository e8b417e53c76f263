// The guarded UPDATE both engines run for every job status change, built from a JobSet and a
// JobGuard: only the column names of JOB_SET_COLUMNS ever reach the SQL text, values are
// always parameters. `placeholder(n)` writes the n-th (1-based) parameter: "?" or "$n".
import type { JobGuard, JobSet } from "./backend.js";

const JOB_SET_COLUMNS = new Set([
  "status",
  "idempotency_key",
  "total_items",
  "processed_items",
  "checkpoint",
  "attempts",
  "lease_token",
  "lease_until",
  "error",
  "output_filename",
  "file_size_bytes",
  "sha256",
  "updated_at",
  "started_at",
  "finished_at",
  "expires_at",
]);

/**
 * Returns `UPDATE label_jobs SET … WHERE id = … AND <guard> RETURNING *` and its parameters.
 * Throws when `set` names a column outside JOB_SET_COLUMNS or sets nothing, and when the guard
 * allows no status (a programming error either way).
 */
export function guardedUpdate(
  id: string,
  set: JobSet,
  guard: JobGuard,
  setIfNull: JobSet | undefined,
  placeholder: (n: number) => string,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return placeholder(params.length);
  };
  const assignments: string[] = [];
  for (const [column, value] of Object.entries(set)) {
    if (!JOB_SET_COLUMNS.has(column)) throw new Error(`label_jobs.${column} cannot be updated`);
    assignments.push(`${column} = ${p(value)}`);
  }
  for (const [column, value] of Object.entries(setIfNull ?? {})) {
    if (!JOB_SET_COLUMNS.has(column)) throw new Error(`label_jobs.${column} cannot be updated`);
    assignments.push(`${column} = coalesce(${column}, ${p(value)})`);
  }
  if (assignments.length === 0) throw new Error("a label_jobs update must set a column");
  if (guard.statuses.length === 0) throw new Error("a label_jobs update must allow a status");
  const where = [`id = ${p(id)}`, `status IN (${guard.statuses.map((s) => p(s)).join(", ")})`];
  if (guard.owner !== undefined) where.push(`owner = ${p(guard.owner)}`);
  if (guard.leaseToken !== undefined) where.push(`lease_token = ${p(guard.leaseToken)}`);
  if (guard.leaseExpiredBy !== undefined) where.push(`lease_until <= ${p(guard.leaseExpiredBy)}`);
  if (guard.attempts !== undefined) where.push(`attempts = ${p(guard.attempts)}`);
  return {
    sql: `UPDATE label_jobs SET ${assignments.join(", ")} WHERE ${where.join(" AND ")} RETURNING *`,
    params,
  };
}

/** The insert of a whole label_jobs row, in the order `jobInsertValues` gives. */
export const JOB_COLUMNS = [
  "id",
  "owner",
  "status",
  "export_type",
  "file_format",
  "spec",
  "idempotency_key",
  "request_hash",
  "total_items",
  "processed_items",
  "checkpoint",
  "attempts",
  "lease_token",
  "lease_until",
  "error",
  "output_filename",
  "file_size_bytes",
  "sha256",
  "created_at",
  "updated_at",
  "started_at",
  "finished_at",
  "expires_at",
] as const;

/** How many serials one insert statement (PostgreSQL) or transaction (SQLite) takes. */
export const SERIAL_CHUNK = 10_000;
