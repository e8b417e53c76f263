// The service's structured log (pino, JSON lines on stdout), shared by the cluster primary and
// its workers, which all write to the same stdout.
import pino, { type Logger } from "pino";
import type { LogLevel } from "../config.js";

/** A logger and the way to write out what it still buffers. */
export interface ServiceLog {
  readonly logger: Logger;
  /**
   * Writes out the buffered lines, then calls `done` — after at most a second, whether or not
   * stdout took them (it may be a pipe nobody reads any more), so a process can always exit.
   */
  flushThen(done: () => void): void;
}

// Longest wait for buffered log lines before exiting anyway.
const FLUSH_TIMEOUT_MS = 1000;

/**
 * Returns a logger at `level` writing to stdout asynchronously: one write(2) per batch of lines
 * instead of one per request, off the request's critical path, flushed every 250 ms when traffic
 * is light. Each write holds whole lines and at most 4096 bytes (PIPE_BUF), which a pipe writes
 * atomically, so lines from several workers sharing stdout never interleave mid-line. A stdout
 * that fails (EPIPE: its reader is gone) loses the lines, never the process: the service goes on.
 */
export function createLog(level: LogLevel): ServiceLog {
  const destination = pino.destination({
    dest: 1,
    sync: false,
    minLength: 2048,
    maxWrite: 4096,
    periodicFlush: 250,
  });
  destination.on("error", () => {});
  return {
    logger: pino({ level }, destination),
    // Not flushSync(): on EPIPE sonic-boom 4 retries it forever (seen: a cluster primary whose
    // stdout reader had gone never exited after SIGTERM).
    flushThen(done) {
      let called = false;
      const finish = () => {
        if (called) return;
        called = true;
        done();
      };
      setTimeout(finish, FLUSH_TIMEOUT_MS).unref();
      try {
        destination.flush(finish);
      } catch {
        finish();
      }
    },
  };
}
