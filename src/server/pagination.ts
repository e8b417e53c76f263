// The published pagination of list endpoints (API keys, label jobs, serial batches): `page` and
// `page_size` in the query (25 by default, at most 100), and the `pagination` envelope.
import { type ProblemDetail, ProblemError } from "./problems.js";

/** Published pagination: 25 per page by default, at most 100. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** Reads `page` and `page_size` from a query; throws 422 naming each bad one. */
export function readPage(query: Record<string, unknown>): { page: number; size: number } {
  const issues: ProblemDetail[] = [];
  const page = pageParam(query.page, "page", 1, 1e9, issues);
  const size = pageParam(query.page_size, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, issues);
  if (issues.length > 0) throw new ProblemError("validation_error", { details: issues });
  return { page, size };
}

/** Returns the `pagination` envelope of page `page` of `size` over `total` rows. */
export function paginationOf(page: number, size: number, total: number) {
  const totalPages = Math.ceil(total / size);
  return {
    page,
    page_size: size,
    total_count: total,
    total_pages: totalPages,
    has_next: page < totalPages,
    has_previous: page > 1,
  };
}

function pageParam(
  raw: unknown,
  name: string,
  fallback: number,
  max: number,
  issues: ProblemDetail[],
): number {
  if (raw === undefined) return fallback;
  const n = typeof raw === "string" && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    issues.push({
      loc: ["query", name],
      msg: `${name} must be a whole number from 1 to ${max}; got ${JSON.stringify(raw)}.`,
      type: "range",
    });
  }
  return n;
}
