// One-line descriptions of failures for logs and terminal messages: no stacks, no internals
// beyond the error's own code and message.

/**
 * Returns `code: message` for an Error with a string code (ECONNREFUSED, SQLITE_BUSY, 57P01)
 * that its message does not already name, the message alone otherwise, and String(value) for
 * anything that is not an Error. An AggregateError without a message (Node's failed connection
 * to every address of a host) is described by its first inner error.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = (err as Partial<AggregateError>).errors?.[0];
  if (err.message === "" && inner !== undefined) return describeError(inner);
  const code = (err as { code?: unknown }).code;
  const message = err.message || err.name;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}
