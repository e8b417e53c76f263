// Service configuration: the environment read once into a typed, frozen object. Every setting is
// declared here with its documentation, default and parser; nothing else reads process.env.
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";

/** Thrown by loadConfig when a variable is set to a value its parser refuses; names the variable. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${expected}.`);
    this.name = "ConfigError";
    this.variable = variable;
  }
}

/** The proxies trusted for the client IP: none, a hop count, or addresses, CIDRs and names. */
export type TrustProxy = false | number | readonly string[];

/**
 * Which requests get a log line: every one; errors only (status 400 and up, aborted and cut
 * requests); errors and those slower than `slowMs`; or errors, slow ones and a random
 * `fraction` of the rest.
 */
export type RequestLogging =
  | { readonly mode: "all" }
  | { readonly mode: "errors" }
  | { readonly mode: "slow"; readonly slowMs: number }
  | { readonly mode: "sample"; readonly slowMs: number; readonly fraction: number };

/** Log levels pino understands, plus "silent". */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** The validated service configuration. Produced only by loadConfig; always frozen. */
export interface Config {
  /** TCP port to listen on (0 picks a free port). */
  readonly port: number;
  /** Interface to bind. */
  readonly host: string;
  /** Absolute directory holding service state (the key database). */
  readonly dataDir: string;
  /** Minimum level of structured logs written to stdout. */
  readonly logLevel: LogLevel;
  /** Which requests the request log writes a line for. */
  readonly logRequests: RequestLogging;
  /**
   * Which proxies' X-Forwarded-For to believe for the client IP (Express "trust proxy"): none
   * (false), the number of proxy hops in front of the service, or the proxies' addresses.
   */
  readonly trustProxy: TrustProxy;
  /** Default tier for API keys without their own limits. */
  readonly keyLimits: { readonly perMinute: number; readonly perDay: number };
  /** Limits for callers without a valid key, counted per client IP. */
  readonly anonymousLimits: {
    readonly perMinute: number;
    readonly perDay: number;
    /** Client IPs tracked per window in each process's memory; past it the oldest restart. */
    readonly maxSubjects: number;
  };
  /**
   * Limits per client IP for requests whose credential needs I/O to verify (a session cookie,
   * a bearer token not yet cached, a key the snapshot lacks), counted before that I/O. Larger
   * than the anonymous tier: an office of signed-in users shares it, while credential guessing
   * stays bounded. A credential that proves invalid is charged to the anonymous tier too.
   */
  readonly unverifiedLimits: {
    readonly perMinute: number;
    readonly perDay: number;
    readonly maxSubjects: number;
  };
  /** How often the key cache checks the database for changes made by other processes, in ms. */
  readonly keyRefreshMs: number;
  /** How long a shutdown waits for in-flight requests before closing connections, in ms. */
  readonly shutdownTimeoutMs: number;
  /** How long a client may take to send a request's headers, in ms (then 408). */
  readonly headersTimeoutMs: number;
  /** How long a client may take to send a whole request, in ms (then 408). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open, in ms. */
  readonly keepAliveTimeoutMs: number;
  /** Server processes to run (node:cluster workers); 1 = a single process, no cluster. */
  readonly workers: number;
  /** Redis for rate-limit counters shared by every instance, or null for in-machine counters. */
  readonly redisUrl: string | null;
  /** Prefix of every Redis key this service writes, so several deployments can share a Redis. */
  readonly redisKeyPrefix: string;
  /** PostgreSQL holding the API keys for every instance, or null for SQLite under dataDir. */
  readonly databaseUrl: string | null;
  /** Port of the Prometheus /metrics listener (on `host`), or null for none. */
  readonly metricsPort: number | null;
  /**
   * OAuth 2.0 resource-server settings, or null when bearer tokens are not accepted. Tokens are
   * JWTs signed by `issuer`, checked against its JWKS (`jwksUri`, else OpenID discovery).
   */
  readonly oauth: {
    readonly issuer: string;
    readonly audience: string;
    readonly jwksUri: string | null;
    /** Scope the datamatrix endpoint requires. */
    readonly scope: string;
  } | null;
  /** Origins (scheme://host[:port]) whose browser apps may call the API with a key or token. */
  readonly corsOrigins: readonly string[];
  /** Heavy renders (large or HRI PNGs) running at once per process. */
  readonly heavyRenders: number;
  /** Longest a heavy render waits for a slot before its request gets 503, in ms. */
  readonly renderQueueMs: number;
  /** Bulk label export (src/labels/): where artifacts live, how long, and the limits. */
  readonly labels: {
    /** Absolute directory of job inputs and artifacts (shared when instances serve each other's downloads). */
    readonly dir: string;
    readonly ttlHours: number;
    readonly maxUploadBytes: number;
    readonly maxItems: number;
    /** Most pages in one sheet PDF; a larger sheet_pdf job is delivered as a ZIP of parts. */
    readonly pdfMaxPages: number;
    /** Labels per key per UTC day. */
    readonly perDay: number;
    /** Unfinished jobs per owner. */
    readonly maxActive: number;
    /** HMAC secret of download URLs, or null: one is made and kept in the database. */
    readonly signingSecret: string | null;
    /** Render threads per process (low priority). */
    readonly threads: number;
    /** How long a job's claim lasts without a heartbeat before another runner takes it over. */
    readonly leaseMs: number;
    /** Whether this process runs jobs (false: it only takes, reports and serves them). */
    readonly runJobs: boolean;
    /** Whether this process only runs jobs and serves no HTTP (a job runner). */
    readonly jobsOnly: boolean;
  };
  /**
   * glibc malloc settings the cluster primary gives its workers (npm start sets them for every
   * process): two arenas and a 128 KB trim threshold hand a burst's memory back to the system.
   */
  readonly workerMalloc: {
    readonly MALLOC_ARENA_MAX: string;
    readonly MALLOC_TRIM_THRESHOLD_: string;
  };
}

interface Setting<T> {
  env: string;
  doc: string;
  default: T;
  parse: (raw: string, env: string) => T;
}

function integer(min: number, max: number) {
  return (raw: string, env: string): number => {
    const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new ConfigError(env, raw, `an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function nonEmpty(raw: string, env: string): string {
  if (raw.trim() === "") throw new ConfigError(env, raw, "a non-empty string");
  return raw;
}

const LOG_LEVELS: readonly LogLevel[] = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
];

function logLevel(raw: string, env: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new ConfigError(env, raw, `one of ${LOG_LEVELS.join(", ")}`);
  return level;
}

// all | errors | slow | a fraction from 0 to 1 (a sample of the requests that are neither
// errors nor slow); the slow threshold comes with it afterwards (LOG_SLOW_MS).
function logRequests(raw: string, env: string): RequestLogging | number {
  if (raw === "all" || raw === "errors") return { mode: raw };
  if (raw === "slow") return { mode: "slow", slowMs: 0 };
  const fraction = /^(0(\.\d+)?|1(\.0+)?)$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(fraction)) {
    throw new ConfigError(env, raw, "all, errors, slow, or a sample fraction from 0 to 1");
  }
  return fraction;
}

// Express's names for address ranges, accepted in a TRUST_PROXY list.
const PROXY_RANGES = ["loopback", "linklocal", "uniquelocal"];

// "true" is refused: Express would then take the leftmost X-Forwarded-For address, which the
// client writes itself, so anyone could pose as any IP and escape the per-IP limits.
function trustProxy(raw: string, env: string): TrustProxy {
  if (raw === "false") return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw) === 0 ? false : Number(raw);
  const entries = raw.split(",").map((e) => e.trim());
  const valid = (e: string) => {
    const [address, bits, ...rest] = e.split("/");
    if (rest.length > 0) return false;
    const version = isIP(address);
    if (bits === undefined) return version !== 0 || PROXY_RANGES.includes(address);
    return /^\d{1,3}$/.test(bits) && version !== 0 && Number(bits) <= (version === 4 ? 32 : 128);
  };
  if (raw !== "true" && entries.every(valid)) return entries;
  throw new ConfigError(
    env,
    raw,
    "false, the number of proxies in front (1-99), or their addresses or CIDRs, comma-separated " +
      "(not true: it would believe any client-written X-Forwarded-For)",
  );
}

function workers(raw: string, env: string): number | "auto" {
  if (raw === "auto") return "auto";
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 256) {
    throw new ConfigError(env, raw, "auto or an integer from 1 to 256");
  }
  return Number(raw);
}

// The scheme is checked here so a typo (http://, a bare host) stops start-up instead of
// surfacing as a connection error later; the client libraries parse the rest. A password in the
// URL is masked in the message, which goes to the terminal and to logs.
function url(schemes: readonly string[]) {
  return (raw: string, env: string): string => {
    let scheme = "";
    try {
      scheme = new URL(raw).protocol.slice(0, -1);
    } catch {}
    if (!schemes.includes(scheme)) {
      const expected = `a URL starting with ${schemes.map((s) => `${s}://`).join(" or ")}`;
      throw new ConfigError(env, raw.replace(/(\/\/[^:/@]*:)[^@/]*@/, "$1***@"), expected);
    }
    return raw;
  };
}

// An origin exactly as browsers send it in the Origin header: scheme, host, optional port.
function origins(raw: string, env: string): readonly string[] {
  const list = raw.split(",").map((o) => o.trim());
  for (const o of list) {
    let ok = false;
    try {
      const u = new URL(o);
      ok = (u.protocol === "http:" || u.protocol === "https:") && u.origin === o;
    } catch {}
    if (!ok) {
      throw new ConfigError(
        env,
        raw,
        "comma-separated origins such as https://app.example.com (scheme, host, optional port; " +
          "no path, no trailing slash, no wildcard)",
      );
    }
  }
  return list;
}

// An OAuth scope token (RFC 6749 §3.3): printable ASCII without space, quote or backslash.
function scope(raw: string, env: string): string {
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(raw)) {
    throw new ConfigError(env, raw, "one OAuth scope token (no spaces, quotes or backslashes)");
  }
  return raw;
}

function optional<T>(parse: (raw: string, env: string) => T) {
  return (raw: string, env: string): T | null => parse(raw, env);
}

const MAX_LIMIT = 1_000_000_000;

// The schema: one entry per variable (practica's doc/default/env shape). An unset or empty
// variable takes the typed default; anything else must parse or start-up stops.
const SETTINGS = {
  port: { env: "PORT", doc: "TCP port", default: 3000, parse: integer(0, 65535) },
  host: { env: "HOST", doc: "interface to bind", default: "0.0.0.0", parse: nonEmpty },
  dataDir: { env: "DATA_DIR", doc: "state directory", default: "./data", parse: nonEmpty },
  logLevel: { env: "LOG_LEVEL", doc: "log level", default: "info" as LogLevel, parse: logLevel },
  logRequests: {
    env: "LOG_REQUESTS",
    doc: "requests logged: all, errors, slow (errors and slow), or a sample fraction",
    default: { mode: "all" } as RequestLogging | number,
    parse: logRequests,
  },
  logSlowMs: {
    env: "LOG_SLOW_MS",
    doc: "with LOG_REQUESTS slow or a fraction: requests this slow (ms) are always logged",
    default: 1_000,
    parse: integer(1, 3_600_000),
  },
  trustProxy: {
    env: "TRUST_PROXY",
    doc: "proxy hops trusted for the client IP",
    default: false as TrustProxy,
    parse: trustProxy,
  },
  keyPerMinute: {
    env: "RATE_LIMIT_PER_MINUTE",
    doc: "default tier, requests per minute per key",
    default: 300,
    parse: integer(1, MAX_LIMIT),
  },
  keyPerDay: {
    env: "RATE_LIMIT_PER_DAY",
    doc: "default tier, requests per day per key",
    default: 10_000,
    parse: integer(1, MAX_LIMIT),
  },
  anonPerMinute: {
    env: "RATE_LIMIT_ANONYMOUS_PER_MINUTE",
    doc: "requests per minute per IP without a valid key",
    default: 60,
    parse: integer(1, MAX_LIMIT),
  },
  anonPerDay: {
    env: "RATE_LIMIT_ANONYMOUS_PER_DAY",
    doc: "requests per day per IP without a valid key",
    default: 1_000,
    parse: integer(1, MAX_LIMIT),
  },
  anonTracked: {
    env: "RATE_LIMIT_ANONYMOUS_TRACKED",
    doc: "client IPs tracked per window in memory (oldest forgotten past it)",
    default: 100_000,
    parse: integer(100, 100_000_000),
  },
  unverifiedPerMinute: {
    env: "RATE_LIMIT_UNVERIFIED_PER_MINUTE",
    doc: "requests per minute per IP with a credential still to verify (session, token)",
    default: 600,
    parse: integer(1, MAX_LIMIT),
  },
  unverifiedPerDay: {
    env: "RATE_LIMIT_UNVERIFIED_PER_DAY",
    doc: "requests per day per IP with a credential still to verify (session, token)",
    default: 50_000,
    parse: integer(1, MAX_LIMIT),
  },
  keyRefreshMs: {
    env: "KEY_REFRESH_MS",
    doc: "how often other processes' key changes are picked up",
    default: 500,
    parse: integer(10, 60_000),
  },
  shutdownTimeoutMs: {
    env: "SHUTDOWN_TIMEOUT_MS",
    doc: "drain time allowed on SIGTERM",
    default: 10_000,
    parse: integer(0, 600_000),
  },
  headersTimeoutMs: {
    env: "HEADERS_TIMEOUT_MS",
    doc: "time allowed to send a request's headers",
    default: 10_000,
    parse: integer(1_000, 600_000),
  },
  requestTimeoutMs: {
    env: "REQUEST_TIMEOUT_MS",
    doc: "time allowed to send a whole request",
    default: 30_000,
    parse: integer(1_000, 600_000),
  },
  keepAliveTimeoutMs: {
    env: "KEEP_ALIVE_TIMEOUT_MS",
    doc: "idle time before a keep-alive connection closes",
    default: 5_000,
    parse: integer(100, 600_000),
  },
  workers: {
    env: "WORKERS",
    doc: "server processes: a number, or auto for one per CPU core",
    default: "auto" as number | "auto",
    parse: workers,
  },
  redisUrl: {
    env: "REDIS_URL",
    doc: "Redis for shared rate-limit counters",
    default: null as string | null,
    parse: optional(url(["redis", "rediss"])),
  },
  redisKeyPrefix: {
    env: "REDIS_KEY_PREFIX",
    doc: "prefix of this service's Redis keys",
    default: "dm:",
    parse: nonEmpty,
  },
  databaseUrl: {
    env: "DATABASE_URL",
    doc: "PostgreSQL for the API keys",
    default: null as string | null,
    parse: optional(url(["postgres", "postgresql"])),
  },
  metricsPort: {
    env: "METRICS_PORT",
    doc: "port of the Prometheus metrics listener",
    default: null as number | null,
    parse: optional(integer(0, 65535)),
  },
  oauthIssuer: {
    env: "OAUTH_ISSUER",
    doc: "OAuth 2.0 issuer whose JWT bearer tokens are accepted",
    default: null as string | null,
    parse: optional(url(["https", "http"])),
  },
  oauthAudience: {
    env: "OAUTH_AUDIENCE",
    doc: "audience a bearer token must name (required with OAUTH_ISSUER)",
    default: null as string | null,
    parse: optional(nonEmpty),
  },
  oauthJwksUri: {
    env: "OAUTH_JWKS_URI",
    doc: "the issuer's JWKS URL (default: from OpenID discovery)",
    default: null as string | null,
    parse: optional(url(["https", "http"])),
  },
  oauthScope: {
    env: "OAUTH_SCOPE",
    doc: "scope a bearer token needs for the datamatrix endpoint",
    default: "codes:write",
    parse: scope,
  },
  corsOrigins: {
    env: "CORS_ORIGINS",
    doc: "origins allowed to call the API from a browser with a key or token",
    default: [] as readonly string[],
    parse: origins,
  },
  heavyRenders: {
    env: "RENDER_HEAVY_CONCURRENCY",
    doc: "large or HRI PNG renders running at once per process",
    default: 1,
    parse: integer(1, 64),
  },
  renderQueueMs: {
    env: "RENDER_QUEUE_WAIT_MS",
    doc: "longest wait of a heavy render for a slot before 503",
    default: 1_000,
    parse: integer(0, 60_000),
  },
  labelsDir: {
    env: "LABELS_DIR",
    doc: "directory of label-export inputs and artifacts (default DATA_DIR/labels)",
    default: null as string | null,
    parse: optional(nonEmpty),
  },
  labelsTtlHours: {
    env: "LABELS_TTL_HOURS",
    doc: "hours a finished export stays downloadable",
    default: 24,
    parse: integer(1, 24 * 365),
  },
  labelsMaxUploadMb: {
    env: "LABELS_MAX_UPLOAD_MB",
    doc: "largest CSV upload, in MB",
    default: 100,
    parse: integer(1, 100_000),
  },
  labelsMaxItems: {
    env: "LABELS_MAX_ITEMS",
    doc: "most items in one export job",
    default: 1_000_000,
    parse: integer(1, 100_000_000),
  },
  labelsPdfMaxPages: {
    env: "LABELS_PDF_MAX_PAGES",
    doc: "most pages in one label-sheet PDF (larger jobs: a ZIP of PDF parts)",
    default: 2_000,
    parse: integer(1, 1_000_000),
  },
  labelsPerDay: {
    env: "LABELS_PER_DAY",
    doc: "labels per key per UTC day",
    default: 1_000_000,
    parse: integer(1, 1_000_000_000),
  },
  labelsMaxActive: {
    env: "LABELS_MAX_ACTIVE",
    doc: "unfinished export jobs per owner",
    default: 2,
    parse: integer(1, 1000),
  },
  labelsSigningSecret: {
    env: "LABELS_SIGNING_SECRET",
    doc: "HMAC secret of download URLs (default: one kept in the database)",
    default: null as string | null,
    parse: optional(nonEmpty),
  },
  labelsThreads: {
    env: "LABELS_THREADS",
    doc: "label render threads per process (auto = one per core)",
    default: "auto" as "auto" | number,
    parse: (raw: string, env: string) => (raw === "auto" ? "auto" : integer(1, 256)(raw, env)),
  },
  labelsLeaseMs: {
    env: "LABELS_LEASE_MS",
    doc: "ms a running job's claim lasts without a heartbeat before another runner resumes it",
    default: 30_000,
    parse: integer(1_000, 3_600_000),
  },
  labelsRunJobs: {
    env: "LABELS_RUN_JOBS",
    doc: "whether this instance runs label jobs (false: an API-only instance)",
    default: true,
    parse: (raw: string, env: string) => {
      if (raw !== "true" && raw !== "false") throw new ConfigError(env, raw, "true or false");
      return raw === "true";
    },
  },
  labelsJobsOnly: {
    env: "LABELS_JOBS_ONLY",
    doc: "this instance only runs label jobs and serves no HTTP (a job runner)",
    default: false,
    parse: (raw: string, env: string) => {
      if (raw !== "true" && raw !== "false") throw new ConfigError(env, raw, "true or false");
      return raw === "true";
    },
  },
  mallocArenaMax: {
    env: "MALLOC_ARENA_MAX",
    doc: "glibc malloc arenas of the cluster workers",
    default: 2,
    parse: integer(1, 1024),
  },
  mallocTrimThreshold: {
    env: "MALLOC_TRIM_THRESHOLD_",
    doc: "glibc malloc trim threshold of the cluster workers, in bytes",
    default: 131_072,
    parse: integer(0, 2 ** 31),
  },
} satisfies Record<string, Setting<unknown>>;

type Values = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]["default"] };

/**
 * Reads every setting from `env` (default: process.env), applying defaults for unset or empty
 * variables, and returns a deeply frozen Config. Throws ConfigError naming the first variable
 * whose value does not parse; DATA_DIR is resolved against the current directory.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const values = {} as Record<string, unknown>;
  for (const [name, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[setting.env];
    values[name] =
      raw === undefined || raw === "" ? setting.default : setting.parse(raw, setting.env);
  }
  const v = values as Values;
  if ((v.oauthIssuer === null) !== (v.oauthAudience === null)) {
    const [set, unset] =
      v.oauthIssuer === null
        ? ["OAUTH_AUDIENCE", "OAUTH_ISSUER"]
        : ["OAUTH_ISSUER", "OAUTH_AUDIENCE"];
    throw new ConfigError(unset, "", `a value: ${set} is set, and bearer tokens need both`);
  }
  if (v.oauthIssuer === null && v.oauthJwksUri !== null) {
    throw new ConfigError("OAUTH_JWKS_URI", v.oauthJwksUri, "to be unset while OAUTH_ISSUER is");
  }
  return deepFreeze({
    port: v.port,
    host: v.host,
    dataDir: resolve(v.dataDir),
    logLevel: v.logLevel,
    logRequests:
      typeof v.logRequests === "number"
        ? { mode: "sample", slowMs: v.logSlowMs, fraction: v.logRequests }
        : v.logRequests.mode === "slow"
          ? { mode: "slow", slowMs: v.logSlowMs }
          : v.logRequests,
    trustProxy: v.trustProxy,
    keyLimits: { perMinute: v.keyPerMinute, perDay: v.keyPerDay },
    anonymousLimits: {
      perMinute: v.anonPerMinute,
      perDay: v.anonPerDay,
      maxSubjects: v.anonTracked,
    },
    unverifiedLimits: {
      perMinute: v.unverifiedPerMinute,
      perDay: v.unverifiedPerDay,
      maxSubjects: v.anonTracked,
    },
    keyRefreshMs: v.keyRefreshMs,
    shutdownTimeoutMs: v.shutdownTimeoutMs,
    headersTimeoutMs: v.headersTimeoutMs,
    requestTimeoutMs: Math.max(v.requestTimeoutMs, v.headersTimeoutMs),
    keepAliveTimeoutMs: v.keepAliveTimeoutMs,
    workers: v.workers === "auto" ? availableParallelism() : v.workers,
    redisUrl: v.redisUrl,
    redisKeyPrefix: v.redisKeyPrefix,
    databaseUrl: v.databaseUrl,
    metricsPort: v.metricsPort,
    oauth:
      v.oauthIssuer === null || v.oauthAudience === null
        ? null
        : {
            issuer: v.oauthIssuer,
            audience: v.oauthAudience,
            jwksUri: v.oauthJwksUri,
            scope: v.oauthScope,
          },
    corsOrigins: v.corsOrigins,
    heavyRenders: v.heavyRenders,
    renderQueueMs: v.renderQueueMs,
    labels: {
      dir: resolve(v.labelsDir ?? resolve(v.dataDir, "labels")),
      ttlHours: v.labelsTtlHours,
      maxUploadBytes: v.labelsMaxUploadMb * 1024 * 1024,
      maxItems: v.labelsMaxItems,
      pdfMaxPages: v.labelsPdfMaxPages,
      perDay: v.labelsPerDay,
      maxActive: v.labelsMaxActive,
      signingSecret: v.labelsSigningSecret,
      threads: v.labelsThreads === "auto" ? availableParallelism() : v.labelsThreads,
      leaseMs: v.labelsLeaseMs,
      runJobs: v.labelsRunJobs,
      jobsOnly: v.labelsJobsOnly,
    },
    workerMalloc: {
      MALLOC_ARENA_MAX: String(v.mallocArenaMax),
      MALLOC_TRIM_THRESHOLD_: String(v.mallocTrimThreshold),
    },
  });
}

function deepFreeze<T extends object>(o: T): T {
  for (const value of Object.values(o)) {
    if (value && typeof value === "object") deepFreeze(value);
  }
  return Object.freeze(o);
}

/**
 * Returns the directory the operator ran a command from, against which the operator CLIs resolve
 * the relative paths they are given: npm runs scripts in the package's directory and names the
 * caller's in INIT_CWD; without npm it is the current directory.
 */
export function callerDirectory(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return env.INIT_CWD || process.cwd();
}
