// `npm start`: configuration, the key store, the first key on an empty store, listening, and the
// graceful stop on SIGTERM/SIGINT (stop accepting, finish in-flight requests, close the database).
import { realpathSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import pino, { type Logger } from "pino";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { render } from "../index.js";
import { createApp } from "./app.js";
import { KeyStore } from "./keys/store.js";
import { MemoryRateLimiter } from "./middleware/rate-limit.js";
import { DATAMATRIX_PATH, type Renderer } from "./routes/datamatrix.js";

/** A listening server and the way to stop it. */
export interface RunningServer {
  readonly server: Server;
  /** Base URL, e.g. http://localhost:3000. */
  readonly url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish (closing keep-alive connections
   * as they go idle), then closes the key store. Resolves true when everything drained, false
   * when `config.shutdownTimeoutMs` ran out and the remaining connections were cut.
   */
  stop(): Promise<boolean>;
}

/** What startServer needs besides the configuration. */
export interface ServerOptions {
  render: Renderer;
  logger: Logger;
  /** Where the first-start banner with the new key goes (default: stderr). */
  announce?: (text: string) => void;
}

function firstKeyBanner(key: string, url: string): string {
  const body = JSON.stringify({ gtin: "09506000134352", lot: "ABC123", expiry: "270630" });
  return [
    "",
    "No API keys yet, so one was created. It is shown only this once; store it now:",
    "",
    `  ${key}`,
    "",
    "Try it:",
    "",
    `  curl -sS -X POST ${url}${DATAMATRIX_PATH} \\`,
    `    -H 'X-API-Key: ${key}' -H 'Content-Type: application/json' \\`,
    `    -d '${body}' -o datamatrix.svg`,
    "",
    "More keys: npm run keys -- create --name NAME",
    "",
  ].join("\n");
}

/**
 * Opens the key store under `config.dataDir` (creating one key and announcing it if the store
 * is empty), builds the app and listens on `config.host`:`config.port`. Rejects if the port is
 * taken or the database cannot be opened.
 */
export async function startServer(config: Config, options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const keys = KeyStore.open(config.dataDir, { refreshMs: config.keyRefreshMs });
  const app = createApp({
    render: options.render,
    keys,
    limiter: new MemoryRateLimiter(),
    logger,
    limits: { keyDefault: config.keyLimits, anonymous: config.anonymousLimits },
    trustProxy: config.trustProxy,
  });

  const server = createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    keys.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = ["0.0.0.0", "::"].includes(config.host) ? "localhost" : config.host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;

  if (keys.count() === 0) {
    const { key } = keys.create({ name: "first key" });
    (options.announce ?? ((t) => process.stderr.write(t)))(firstKeyBanner(key, url));
  }

  let draining = false;
  // While draining, answer each request on a kept-alive connection with Connection: close, so
  // clients reconnect elsewhere and the connection ends with its response.
  server.prependListener("request", (_req, res) => {
    if (draining) res.setHeader("Connection", "close");
  });

  let stopped: Promise<boolean> | undefined;
  const stop = () => {
    stopped ??= new Promise<boolean>((resolve) => {
      draining = true;
      let clean = true;
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => {
        clean = false;
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        keys.close();
        resolve(clean);
      });
      server.closeIdleConnections();
    });
    return stopped;
  };

  logger.info({ url, data_dir: config.dataDir }, "listening");
  return { server, url, stop };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`Cannot start: ${err.message}\n`);
    process.exit(2);
  }
  // Buffered asynchronous log writes: one write(2) per ~4 KB of lines instead of one per
  // request, and never on the request's critical path. The periodic flush bounds how stale the
  // output gets when traffic is light.
  const destination = pino.destination({
    dest: 1,
    sync: false,
    minLength: 4096,
    periodicFlush: 250,
  });
  const logger = pino({ level: config.logLevel }, destination);
  const running = await startServer(config, { render, logger });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal while draining changes nothing: the drain deadline bounds the wait.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: draining in-flight requests");
    running.stop().then((clean) => {
      logger.info({ clean }, "stopped");
      destination.flushSync();
      process.exit(clean ? 0 : 1);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/** True when this file is the program being run (node build/js/http/server.js, or via tsx). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href;
}

if (isEntryPoint()) {
  main().catch((err: unknown) => {
    process.stderr.write(`Cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
