// The service's structured log (pino, JSON lines on stdout), shared by the cluster primary and
// its workers, which all write to the same stdout.
import pino, { type Logger } from "pino";
import type { LogLevel } from "../config.js";

/** A logger and the way to write out what it still buffers (call before exiting). */
export interface ServiceLog {
  readonly logger: Logger;
  flush(): void;
}

/**
 * Returns a logger at `level` writing to stdout asynchronously: one write(2) per batch of lines
 * instead of one per request, off the request's critical path, flushed every 250 ms when traffic
 * is light. Each write holds whole lines and at most 4096 bytes (PIPE_BUF), which a pipe writes
 * atomically, so lines from several workers sharing stdout never interleave mid-line.
 */
export function createLog(level: LogLevel): ServiceLog {
  const destination = pino.destination({
    dest: 1,
    sync: false,
    minLength: 2048,
    maxWrite: 4096,
    periodicFlush: 250,
  });
  return { logger: pino({ level }, destination), flush: () => destination.flushSync() };
}
