// The browser's view of the signed-in session, shared by the dashboard and the preview: who is
// signed in and the CSRF token their unsafe requests must send. The session cookie itself is
// HttpOnly; scripts never see it and it travels by itself on same-origin requests.

/** The Account API's session endpoint. */
export const SESSION_URL = "/account/api/v1/session";

/** The header carrying the CSRF token (src/server/middleware/csrf.ts). */
export const CSRF_HEADER = "X-CSRF-Token";

/** A signed-in session as GET /account/api/v1/session reports it. */
export interface Session {
  email: string;
  csrfToken: string;
}

/**
 * Resolves to the signed-in session, or null when nobody is signed in (401) or the server
 * cannot say (network error, other status): callers then behave as signed out.
 */
export async function fetchSession(): Promise<Session | null> {
  try {
    const res = await fetch(SESSION_URL, { cache: "no-store", credentials: "same-origin" });
    if (!res.ok) return null;
    const body = (await res.json()) as { email?: unknown; csrf_token?: unknown };
    if (typeof body.email !== "string" || typeof body.csrf_token !== "string") return null;
    return { email: body.email, csrfToken: body.csrf_token };
  } catch {
    return null;
  }
}

/**
 * Returns a sentence describing an RFC 9457 problem response: "The API answered 422: title —
 * detail — each details[].msg". Never throws.
 */
export async function describeProblem(res: Response): Promise<string> {
  const head = `The API answered ${res.status}`;
  try {
    const problem = (await res.json()) as {
      title?: string;
      detail?: string;
      details?: { msg?: string }[];
    };
    const parts = [problem.title, problem.detail, ...(problem.details ?? []).map((d) => d.msg)];
    const text = parts.filter((p): p is string => typeof p === "string" && p !== "").join(" — ");
    return text ? `${head}: ${text}` : `${head}.`;
  } catch {
    return `${head}.`;
  }
}
