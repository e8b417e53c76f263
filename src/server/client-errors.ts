// Node's own answers to requests its HTTP parser refuses (malformed, headers too large, not
// received in time), given the same RFC 9457 shape as every other error, with a request id, and
// logged. Express never sees these requests, so the problem handler cannot answer them.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { type ErrorCode, PROBLEMS, problemBody } from "./problems.js";

// Node's error codes for what the parser refuses, by the answer they deserve; anything else
// it refuses is malformed (400).
const CODES: Readonly<Record<string, ErrorCode>> = {
  HPE_HEADER_OVERFLOW: "request_header_fields_too_large",
  ERR_HTTP_REQUEST_TIMEOUT: "request_timeout",
};

/**
 * Makes `server` answer its parser's refusals with a problem+json response (400, 408 or 431),
 * X-Request-Id, nosniff and Connection: close, and log each at warn level. A connection that is
 * already gone, or whose response has started, is just closed.
 */
export function answerClientErrors(server: Server, logger: Logger, clock: Clock): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === "ECONNRESET" || !socket.writable || started?.headersSent) {
      socket.destroy();
      return;
    }
    const code = CODES[err.code ?? ""] ?? "bad_request";
    const { status, title } = PROBLEMS[code];
    const id = randomUUID();
    const body = problemBody(code, {}, clock.now());
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\n` +
        "Content-Type: application/problem+json\r\n" +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        "Cache-Control: no-store\r\n" +
        "X-Content-Type-Options: nosniff\r\n" +
        `X-Request-Id: ${id}\r\n` +
        "Connection: close\r\n\r\n" +
        body,
    );
    logger.warn({ req_id: id, status, err: err.code }, "request refused by the HTTP parser");
  });
}

/**
 * Makes `server` answer a request whose Expect header is anything but 100-continue with 417
 * expectation_failed as a problem+json (Node's own 417 has no body), with X-Request-Id, nosniff
 * and Connection: close (the body the client holds back is never read), and log it at warn.
 */
export function answerExpectations(server: Server, logger: Logger, clock: Clock): void {
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    const code = "expectation_failed";
    const { status } = PROBLEMS[code];
    const id = randomUUID();
    const body = problemBody(code, {}, clock.now());
    res.writeHead(status, {
      "Content-Type": "application/problem+json",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Request-Id": id,
      Connection: "close",
    });
    res.end(body);
    logger.warn(
      { req_id: id, method: req.method, status },
      "request refused: an Expect header other than 100-continue",
    );
  });
}
