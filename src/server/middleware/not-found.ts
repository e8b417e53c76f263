// The two "no such handler" answers: an unknown path (404) and a known path asked with a
// method it does not support (405 with Allow).
import type { NextFunction, Request, Response } from "express";
import { ProblemError } from "../problems.js";

/** Final middleware: fails every request that reached it with 404 not_found. */
export function notFound(_req: Request, _res: Response, _next: NextFunction): void {
  throw new ProblemError("not_found");
}

/**
 * Returns the handler for the other methods of a route that supports `allowed`: fails with
 * 405 method_not_allowed, an `Allow` header listing `allowed`, and a detail naming both.
 */
export function methodNotAllowed(allowed: readonly string[]) {
  const allow = allowed.join(", ");
  return function rejectMethod(req: Request, _res: Response, _next: NextFunction): void {
    throw new ProblemError("method_not_allowed", {
      detail: `The method ${req.method} is not allowed on this resource; allowed: ${allow}.`,
      headers: { Allow: allow },
    });
  };
}
