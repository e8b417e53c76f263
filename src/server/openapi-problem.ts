// The one way the OpenAPI documents (openapi.ts, openapi-account.ts, openapi-labels.ts) describe
// a problem response: the catalogue's title and code, the ErrorOut schema as problem+json.
import { PROBLEMS } from "./problems.js";

/** The response content of every problem: RFC 9457 problem+json in the ErrorOut shape. */
export const PROBLEM_CONTENT = {
  "application/problem+json": { schema: { $ref: "#/components/schemas/ErrorOut" } },
};

/**
 * Returns the OpenAPI response object for the problem `code`: `description` or "<Title>
 * (`code`)." by default, the problem+json content, and `headers` when given.
 */
export function problemResponse(
  code: keyof typeof PROBLEMS,
  description?: string,
  headers?: Record<string, unknown>,
) {
  return {
    description: description ?? `${PROBLEMS[code].title} (\`${code}\`).`,
    ...(headers === undefined ? {} : { headers }),
    content: PROBLEM_CONTENT,
  };
}
