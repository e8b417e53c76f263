// A bare Express app on a loopback port, for middleware unit tests that need real HTTP but not
// the whole service (createApp).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express, { type Express } from "express";
import pino, { type Logger } from "pino";

/** A listening app: its base URL, the log lines written so far, and close(). */
export interface Served {
  url: string;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Returns a pino logger writing JSON lines into `logs`. */
export function memoryLogger(logs: Record<string, unknown>[]): Logger {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line !== "") logs.push(JSON.parse(line));
      done();
    },
  });
  return pino({ level: "debug" }, sink);
}

/**
 * Starts an Express app set up by `build` (given the app and a logger) on 127.0.0.1 with an
 * ephemeral port, handing `Expect: 100-continue` requests to the app as the real server does;
 * resolves once it listens.
 */
export async function serve(build: (app: Express, logger: Logger) => void): Promise<Served> {
  const logs: Record<string, unknown>[] = [];
  const app = express();
  build(app, memoryLogger(logs));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  // As src/server/server.ts does: Expect: 100-continue reaches the app, which decides.
  server.on("checkContinue", (req, res) => server.emit("request", req, res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
