// Connections the cluster primary hands to a worker that dies before taking them. node:cluster's
// round-robin primary accepts each connection, sends its handle to a worker over IPC and keeps
// its own copy until the worker acknowledges it; a worker SIGKILLed in between never does, so
// the primary's copy stays open for good: the client hangs until its own timeout, and the
// primary keeps the socket in CLOSE-WAIT (one file descriptor per crash). This watches the
// handoffs per worker and answers the unacknowledged ones with a 503 when the worker exits.
import type { ChildProcess } from "node:child_process";
import type { Worker } from "node:cluster";
import { Socket, type SocketConstructorOpts } from "node:net";
import { problemBody } from "./problems.js";

// The cluster's internal messages (lib/internal/cluster: round_robin_handle.js and child.js):
// the primary's { cmd: "NODE_CLUSTER", act: "newconn", seq } with the handle, and the worker's
// { cmd: "NODE_CLUSTER", ack: seq, accepted } once it has it.
interface ClusterMessage {
  cmd?: unknown;
  act?: unknown;
  seq?: unknown;
  ack?: unknown;
}

/** A raw handle as the round-robin primary passes it (a libuv TCP handle wrap). */
interface RawHandle {
  close(callback?: () => void): void;
}

/** Seconds a client whose connection was orphaned is asked to wait before retrying. */
const ORPHAN_RETRY_SECONDS = 1;
// How long an orphaned connection is kept to deliver the 503 (reading what the client sent).
const ORPHAN_LINGER_MS = 2_000;

/**
 * Tracks the connections handed to `worker` until it acknowledges them; when it exits, answers
 * each one it never took with 503 service_unavailable (Retry-After: 1, Connection: close) and
 * closes it, then calls `onOrphans` with their number (for the log). Call right after
 * cluster.fork(), in the primary. Relies on the internal message shapes above (stable since
 * Node 0.11); if they ever change, nothing is tracked and nothing else changes.
 */
export function answerOrphanedHandoffs(
  worker: Worker,
  nowMs: () => number,
  onOrphans: (count: number) => void,
): void {
  const proc = worker.process as ChildProcess;
  const pending = new Map<number, RawHandle>();
  const send = proc.send.bind(proc) as (...args: unknown[]) => boolean;
  proc.send = ((message: ClusterMessage, handle?: unknown, ...rest: unknown[]) => {
    if (
      message?.cmd === "NODE_CLUSTER" &&
      message.act === "newconn" &&
      typeof message.seq === "number" &&
      handle !== undefined
    ) {
      pending.set(message.seq, handle as RawHandle);
    }
    return send(message, handle, ...rest);
  }) as ChildProcess["send"];
  proc.on("internalMessage", (message: ClusterMessage) => {
    if (message?.cmd === "NODE_CLUSTER" && typeof message.ack === "number") {
      pending.delete(message.ack);
    }
  });
  worker.once("exit", () => {
    if (pending.size === 0) return;
    const count = pending.size;
    for (const handle of pending.values()) answerOrphan(handle, nowMs());
    pending.clear();
    onOrphans(count);
  });
}

// Answers 503 on the raw handle through a net.Socket, reading (and dropping) what the client
// sent so the close does not reset the connection before the answer is read.
function answerOrphan(handle: RawHandle, nowMs: number): void {
  let socket: Socket;
  try {
    // `handle` is net.Socket's own (undocumented) way to wrap an accepted connection, as
    // node:cluster's workers do with the handles they receive.
    const options = { handle, readable: true, writable: true };
    socket = new Socket(options as unknown as SocketConstructorOpts);
  } catch {
    handle.close();
    return;
  }
  const body = problemBody(
    "service_unavailable",
    {
      detail: "The server process for this connection stopped. Please retry.",
      retryAfter: ORPHAN_RETRY_SECONDS,
    },
    nowMs,
  );
  socket.on("error", () => socket.destroy());
  socket.setTimeout(ORPHAN_LINGER_MS, () => socket.destroy());
  socket.resume();
  socket.end(
    "HTTP/1.1 503 Service Unavailable\r\n" +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `Retry-After: ${ORPHAN_RETRY_SECONDS}\r\n` +
      "Cache-Control: no-store\r\n" +
      "X-Content-Type-Options: nosniff\r\n" +
      "Connection: close\r\n\r\n" +
      body,
  );
}
