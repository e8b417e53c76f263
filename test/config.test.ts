// src/config.ts: environment -> frozen typed config; a bad value names its variable.
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, callerDirectory, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "0.0.0.0",
      dataDir: resolve("./data"),
      logLevel: "info",
      logRequests: { mode: "all" },
      trustProxy: false,
      keyLimits: { perMinute: 300, perDay: 10_000 },
      anonymousLimits: { perMinute: 60, perDay: 1_000, maxSubjects: 100_000 },
      unverifiedLimits: { perMinute: 600, perDay: 50_000, maxSubjects: 100_000 },
      keyRefreshMs: 500,
      shutdownTimeoutMs: 10_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      workers: availableParallelism(),
      redisUrl: null,
      redisKeyPrefix: "dm:",
      databaseUrl: null,
      metricsPort: null,
      oauth: null,
      corsOrigins: [],
      heavyRenders: 1,
      renderQueueMs: 1_000,
      labels: {
        dir: resolve("./data/labels"),
        ttlHours: 24,
        maxUploadBytes: 100 * 1024 * 1024,
        maxItems: 1_000_000,
        pdfMaxPages: 2_000,
        perDay: 1_000_000,
        maxActive: 2,
        signingSecret: null,
        threads: availableParallelism(),
        leaseMs: 30_000,
        runJobs: true,
        jobsOnly: false,
      },
      workerMalloc: { MALLOC_ARENA_MAX: "2", MALLOC_TRIM_THRESHOLD_: "131072" },
    });
  });

  it("reads every variable, treating empty as unset", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      DATA_DIR: "/var/lib/dm",
      LOG_LEVEL: "warn",
      TRUST_PROXY: "2",
      RATE_LIMIT_PER_MINUTE: "50",
      RATE_LIMIT_PER_DAY: "500",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "5",
      RATE_LIMIT_ANONYMOUS_PER_DAY: "",
      RATE_LIMIT_ANONYMOUS_TRACKED: "5000",
      RATE_LIMIT_UNVERIFIED_PER_MINUTE: "120",
      LOG_REQUESTS: "0.05",
      LOG_SLOW_MS: "250",
      RATE_LIMIT_UNVERIFIED_PER_DAY: "9000",
      KEY_REFRESH_MS: "250",
      SHUTDOWN_TIMEOUT_MS: "0",
      HEADERS_TIMEOUT_MS: "4000",
      REQUEST_TIMEOUT_MS: "3000",
      KEEP_ALIVE_TIMEOUT_MS: "2000",
      WORKERS: "3",
      REDIS_URL: "redis://cache.internal:6380/2",
      REDIS_KEY_PREFIX: "label-api:",
      DATABASE_URL: "postgresql://dm:secret@db.internal/keys",
      METRICS_PORT: "9464",
      OAUTH_ISSUER: "https://auth.example.com/realms/labels",
      OAUTH_AUDIENCE: "https://labels.example.com",
      OAUTH_JWKS_URI: "https://auth.example.com/realms/labels/certs",
      OAUTH_SCOPE: "labels:print",
      CORS_ORIGINS: "https://app.example.com, http://localhost:5173",
      RENDER_HEAVY_CONCURRENCY: "4",
      RENDER_QUEUE_WAIT_MS: "250",
      MALLOC_ARENA_MAX: "8",
      MALLOC_TRIM_THRESHOLD_: "0",
    });
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      dataDir: "/var/lib/dm",
      logLevel: "warn",
      logRequests: { mode: "sample", slowMs: 250, fraction: 0.05 },
      trustProxy: 2,
      keyLimits: { perMinute: 50, perDay: 500 },
      anonymousLimits: { perMinute: 5, perDay: 1_000, maxSubjects: 5_000 },
      unverifiedLimits: { perMinute: 120, perDay: 9_000, maxSubjects: 5_000 },
      keyRefreshMs: 250,
      shutdownTimeoutMs: 0,
      headersTimeoutMs: 4000,
      // Never shorter than the headers' own timeout (Node requires it).
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 2000,
      workers: 3,
      redisUrl: "redis://cache.internal:6380/2",
      redisKeyPrefix: "label-api:",
      databaseUrl: "postgresql://dm:secret@db.internal/keys",
      metricsPort: 9464,
      oauth: {
        issuer: "https://auth.example.com/realms/labels",
        audience: "https://labels.example.com",
        jwksUri: "https://auth.example.com/realms/labels/certs",
        scope: "labels:print",
      },
      corsOrigins: ["https://app.example.com", "http://localhost:5173"],
      heavyRenders: 4,
      renderQueueMs: 250,
      labels: {
        dir: "/var/lib/dm/labels",
        ttlHours: 24,
        maxUploadBytes: 100 * 1024 * 1024,
        maxItems: 1_000_000,
        pdfMaxPages: 2_000,
        perDay: 1_000_000,
        maxActive: 2,
        signingSecret: null,
        threads: availableParallelism(),
        leaseMs: 30_000,
        runJobs: true,
        jobsOnly: false,
      },
      workerMalloc: { MALLOC_ARENA_MAX: "8", MALLOC_TRIM_THRESHOLD_: "0" },
    });
  });

  it.each([
    ["false", false],
    ["0", false],
    ["2", 2],
    ["10.0.0.5", ["10.0.0.5"]],
    ["10.0.0.0/8, fd00::/8 ,loopback", ["10.0.0.0/8", "fd00::/8", "loopback"]],
  ])("reads TRUST_PROXY=%j as %j", (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it("takes WORKERS=auto as one process per available core", () => {
    expect(loadConfig({ WORKERS: "auto" }).workers).toBe(availableParallelism());
    expect(loadConfig({ WORKERS: "1" }).workers).toBe(1);
  });

  it("returns a deeply frozen object", () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.keyLimits)).toBe(true);
    expect(Object.isFrozen(config.anonymousLimits)).toBe(true);
  });

  it.each([
    ["PORT", "abc", 'PORT="abc" is invalid: expected an integer from 0 to 65535.'],
    ["PORT", "70000", 'PORT="70000" is invalid: expected an integer from 0 to 65535.'],
    ["PORT", "-1", 'PORT="-1" is invalid: expected an integer from 0 to 65535.'],
    ["HOST", "  ", 'HOST="  " is invalid: expected a non-empty string.'],
    [
      "LOG_LEVEL",
      "loud",
      'LOG_LEVEL="loud" is invalid: expected one of fatal, error, warn, info, debug, trace, silent.',
    ],
    ...["some", "1.5", "-0.1", ".5", "errors,slow"].map((value) => [
      "LOG_REQUESTS",
      value,
      `LOG_REQUESTS=${JSON.stringify(value)} is invalid: expected all, errors, slow, or a sample ` +
        "fraction from 0 to 1.",
    ]),
    ...["yes", "true", "10.0.0.1,nobody", "10.0.0.0/33", "1.2.3.4/8/1", "100"].map((value) => [
      "TRUST_PROXY",
      value,
      `TRUST_PROXY=${JSON.stringify(value)} is invalid: expected false, the number of proxies in ` +
        "front (1-99), or their addresses or CIDRs, comma-separated (not true: it would believe " +
        "any client-written X-Forwarded-For).",
    ]),
    [
      "RATE_LIMIT_PER_MINUTE",
      "0",
      'RATE_LIMIT_PER_MINUTE="0" is invalid: expected an integer from 1 to 1000000000.',
    ],
    [
      "KEY_REFRESH_MS",
      "1.5",
      'KEY_REFRESH_MS="1.5" is invalid: expected an integer from 10 to 60000.',
    ],
    ["WORKERS", "0", 'WORKERS="0" is invalid: expected auto or an integer from 1 to 256.'],
    ["WORKERS", "all", 'WORKERS="all" is invalid: expected auto or an integer from 1 to 256.'],
    [
      "REDIS_URL",
      "127.0.0.1:6379",
      'REDIS_URL="127.0.0.1:6379" is invalid: expected a URL starting with redis:// or rediss://.',
    ],
    [
      "DATABASE_URL",
      "mysql://db/keys",
      'DATABASE_URL="mysql://db/keys" is invalid: expected a URL starting with postgres:// or postgresql://.',
    ],
    [
      "DATABASE_URL",
      "http://dm:s3cret@db/keys",
      'DATABASE_URL="http://dm:***@db/keys" is invalid: expected a URL starting with postgres:// or postgresql://.',
    ],
    [
      "METRICS_PORT",
      "metrics",
      'METRICS_PORT="metrics" is invalid: expected an integer from 0 to 65535.',
    ],
    ...["*", "https://app.example.com/", "app.example.com", "https://a.example/path"].map(
      (value) => [
        "CORS_ORIGINS",
        value,
        `CORS_ORIGINS=${JSON.stringify(value)} is invalid: expected comma-separated origins such ` +
          "as https://app.example.com (scheme, host, optional port; no path, no trailing slash, " +
          "no wildcard).",
      ],
    ),
    [
      "OAUTH_SCOPE",
      "codes write",
      'OAUTH_SCOPE="codes write" is invalid: expected one OAuth scope token (no spaces, quotes or backslashes).',
    ],
    [
      "OAUTH_ISSUER",
      "auth.example.com",
      'OAUTH_ISSUER="auth.example.com" is invalid: expected a URL starting with https:// or http://.',
    ],
  ])("refuses %s=%j with a message naming the variable", (name, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(name);
    expect((thrown as ConfigError).message).toBe(message);
  });

  it("needs OAUTH_ISSUER and OAUTH_AUDIENCE together, and OAUTH_JWKS_URI only with them", () => {
    expect(() => loadConfig({ OAUTH_ISSUER: "https://auth.example.com" })).toThrow(
      'OAUTH_AUDIENCE="" is invalid: expected a value: OAUTH_ISSUER is set, and bearer tokens need both.',
    );
    expect(() => loadConfig({ OAUTH_AUDIENCE: "api" })).toThrow(
      'OAUTH_ISSUER="" is invalid: expected a value: OAUTH_AUDIENCE is set, and bearer tokens need both.',
    );
    expect(() => loadConfig({ OAUTH_JWKS_URI: "https://auth.example.com/jwks" })).toThrow(
      'OAUTH_JWKS_URI="https://auth.example.com/jwks" is invalid: expected to be unset while OAUTH_ISSUER is.',
    );
    expect(loadConfig({ OAUTH_ISSUER: "https://a.example", OAUTH_AUDIENCE: "api" }).oauth).toEqual({
      issuer: "https://a.example",
      audience: "api",
      jwksUri: null,
      scope: "codes:write",
    });
  });

  it("is the only reader of process.env in src/", () => {
    const readers: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (
          /\.ts$/.test(entry.name) &&
          path !== join("src", "config.ts") &&
          readFileSync(path, "utf8").includes("process.env")
        ) {
          readers.push(path);
        }
      }
    };
    walk("src");
    expect(readers).toEqual([]);
  });
});

describe("callerDirectory", () => {
  it("is npm's INIT_CWD when npm ran the command, else the current directory", () => {
    expect(callerDirectory({ INIT_CWD: "/home/op/labels" })).toBe("/home/op/labels");
    expect(callerDirectory({})).toBe(process.cwd());
    expect(callerDirectory({ INIT_CWD: "" })).toBe(process.cwd());
  });
});
