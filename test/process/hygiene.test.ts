// The HTTP edges of the server as `npm start` runs it (src/server/server.ts, client-errors.ts,
// middleware/request-log.ts, problem-handler.ts): what Node's parser refuses is answered as a
// problem, slow clients are timed out in seconds, unread bodies are not read, aborted and cut
// requests are logged as such, and keep-alive clients sending through SIGTERM lose nothing the
// server has read.
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PAYLOAD, SLOW, start, stopAll, tempDir } from "../helpers/fleet.js";
import { DATAMATRIX } from "../helpers/http.js";
import { createKeyWithCli, type ServerProcess } from "../helpers/processes.js";

afterEach(stopAll);

/** Opens a raw TCP connection to the server of `s`. */
async function rawConnection(s: ServerProcess): Promise<Socket> {
  const socket = connect(Number(new URL(s.url).port), "127.0.0.1");
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/** Writes `data` and resolves to everything the server sends until it closes the connection. */
async function exchange(socket: Socket, data: string | Buffer = ""): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on("data", (c) => chunks.push(c));
  const closed = new Promise((resolve) => socket.once("close", resolve));
  socket.on("error", () => {});
  if (data.length > 0) socket.write(data);
  await closed;
  return Buffer.concat(chunks).toString("latin1");
}

/** Splits a raw HTTP response into its status line, headers (lower-case names) and body. */
function parse(raw: string) {
  const [head, ...rest] = raw.split("\r\n\r\n");
  const [statusLine, ...headerLines] = head.split("\r\n");
  const headers = Object.fromEntries(
    headerLines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 2)]),
  );
  return { statusLine, headers, body: rest.join("\r\n\r\n") };
}

function expectParserProblem(raw: string, status: number, code: string, title: string) {
  const { statusLine, headers, body } = parse(raw);
  expect(statusLine).toBe(`HTTP/1.1 ${status} ${title}`);
  expect(headers).toMatchObject({
    "content-type": "application/problem+json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    connection: "close",
  });
  expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.parse(body)).toMatchObject({ status, error_code: code, title });
  return headers["x-request-id"];
}

describe("requests Node's HTTP parser refuses", () => {
  it(
    "answers malformed requests, oversized headers and slow ones as problems, and logs them",
    async () => {
      const s = await start({ HEADERS_TIMEOUT_MS: "1000", REQUEST_TIMEOUT_MS: "1000" });
      const garbled = await exchange(await rawConnection(s), "GARBAGE\r\n\r\n");
      const id = expectParserProblem(garbled, 400, "bad_request", "Bad Request");
      const huge = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`;
      expectParserProblem(
        await exchange(await rawConnection(s), huge),
        431,
        "request_header_fields_too_large",
        "Request Header Fields Too Large",
      );
      // Headers begun, never finished: answered after REQUEST_TIMEOUT_MS, not Node's 5 minutes.
      expectParserProblem(
        await exchange(await rawConnection(s), "GET /healthz HTTP/1.1\r\nHost: x\r\n"),
        408,
        "request_timeout",
        "Request Timeout",
      );
      await vi.waitFor(() =>
        expect(s.logs().find((l) => l.req_id === id)).toMatchObject({
          msg: "request refused by the HTTP parser",
          status: 400,
        }),
      );
    },
    SLOW,
  );

  it(
    "answers an Expect header other than 100-continue with a 417 problem, and logs it",
    async () => {
      const s = await start({});
      const body = JSON.stringify(PAYLOAD);
      const raw = await exchange(
        await rawConnection(s),
        `POST ${DATAMATRIX} HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      const id = expectParserProblem(raw, 417, "expectation_failed", "Expectation Failed");
      expect(JSON.parse(parse(raw).body)).toMatchObject({
        type: "https://closient.com/docs/errors/expectation_failed",
        detail:
          "The Expect header asks for something this server does not do: it meets only 100-continue.",
        retryable: false,
      });
      await vi.waitFor(() =>
        expect(s.logs().find((l) => l.req_id === id)).toMatchObject({
          msg: "request refused: an Expect header other than 100-continue",
          status: 417,
        }),
      );
      // The OpenAPI document lists it.
      const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as {
        paths: Record<string, { post: { responses: Record<string, unknown> } }>;
      };
      expect(Object.keys(doc.paths[DATAMATRIX].post.responses)).toContain("417");
    },
    SLOW,
  );

  it(
    "times out a slow body with a valid key after REQUEST_TIMEOUT_MS with a 408 problem",
    async () => {
      const dataDir = tempDir();
      const s = await start({
        DATA_DIR: dataDir,
        HEADERS_TIMEOUT_MS: "1000",
        REQUEST_TIMEOUT_MS: "1500",
      });
      const { key } = await createKeyWithCli(dataDir);
      const body = JSON.stringify(PAYLOAD);
      const socket = await rawConnection(s);
      const raw = await exchange(
        socket,
        `POST ${DATAMATRIX} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      expectParserProblem(raw, 408, "request_timeout", "Request Timeout");
    },
    SLOW,
  );
});

describe("bodies the server does not need", () => {
  const size = 200 * 1024 * 1024;
  const head = (expect: boolean) =>
    `POST ${DATAMATRIX} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `${expect ? "Expect: 100-continue\r\n" : ""}Content-Length: ${size}\r\n\r\n`;

  it(
    "answers 401 to an unauthenticated 200 MB upload announced with Expect: 100-continue, unsent",
    async () => {
      // curl sends Expect: 100-continue for bodies over 1 MB, then waits for the server's word.
      const s = await start({});
      const raw = await exchange(await rawConnection(s), head(true));
      const { statusLine, headers } = parse(raw);
      expect(statusLine).toBe("HTTP/1.1 401 Unauthorized");
      expect(headers.connection).toBe("close");
      expect(raw).not.toContain("100 Continue");
    },
    SLOW,
  );

  it(
    "stops reading an unauthenticated 200 MB upload sent without waiting",
    async () => {
      const s = await start({});
      const socket = await rawConnection(s);
      const response = exchange(socket, head(false));
      // Upload as fast as the connection takes it, until the server closes it.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      while (sent < size && !socket.destroyed && socket.writable) {
        if (!socket.write(chunk))
          await new Promise((r) => socket.once("drain", r).once("close", r));
        sent += chunk.length;
      }
      const raw = await response;
      // The 401 is sent with Connection: close; a client still sending may see the reset of
      // the close before it (TCP discards what it had not read), which is why clients announce
      // large bodies with Expect: 100-continue. Either way the server read a fraction of it.
      if (raw !== "") expect(parse(raw).statusLine).toBe("HTTP/1.1 401 Unauthorized");
      expect(sent).toBeLessThan(size / 4);
    },
    SLOW,
  );

  it(
    "lets Node's fetch streaming a multipart upload read its 401 or 404: 40 tries, no failure",
    async () => {
      const s = await start({});
      const boundary = "dm-lingering-test";
      const part = Buffer.alloc(64 * 1024, "0123456789,A\r\n");
      // A 1 MB multipart CSV, handed to fetch a piece at a time, so the answer comes while it is
      // still being sent.
      const upload = () => {
        let i = 0;
        return new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (i === 0) {
              controller.enqueue(
                Buffer.from(
                  `--${boundary}\r\nContent-Disposition: form-data; name="file"; ` +
                    'filename="items.csv"\r\nContent-Type: text/csv\r\n\r\ngtin,serial\r\n',
                ),
              );
            } else if (i <= 16) {
              await new Promise((r) => setTimeout(r, 2));
              controller.enqueue(part);
            } else {
              controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
              controller.close();
            }
            i++;
          },
        });
      };
      const targets = [
        { path: "/products/api/v1/labels/export/", status: 401, code: "unauthorized" },
        { path: "/products/api/v1/no-such-thing/", status: 404, code: "not_found" },
      ];
      const outcomes: string[] = [];
      for (const target of targets) {
        for (let i = 0; i < 20; i++) {
          try {
            const res = await fetch(s.url + target.path, {
              method: "POST",
              headers: {
                "content-type": `multipart/form-data; boundary=${boundary}`,
                "x-api-key": "csb_wrong",
              },
              body: upload(),
              duplex: "half",
            } as RequestInit);
            const body = (await res.json()) as { error_code: string };
            outcomes.push(`${res.status} ${body.error_code}`);
          } catch (err) {
            outcomes.push(`failed: ${(err as Error & { cause?: Error }).cause?.message ?? err}`);
          }
        }
      }
      expect(outcomes).toEqual([
        ...Array(20).fill("401 unauthorized"),
        ...Array(20).fill("404 not_found"),
      ]);
    },
    SLOW,
  );

  it(
    "sends 100 Continue to an authenticated client that waits for it, then the image",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir });
      const { key } = await createKeyWithCli(dataDir);
      const body = JSON.stringify(PAYLOAD);
      const socket = await rawConnection(s);
      const chunks: Buffer[] = [];
      socket.on("data", (c) => {
        chunks.push(c);
        if (Buffer.concat(chunks).toString().startsWith("HTTP/1.1 100 Continue\r\n\r\n")) {
          if (!socket.writableEnded) socket.end(body);
        }
      });
      socket.write(
        `POST ${DATAMATRIX} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nConnection: close\r\n` +
          `Content-Type: application/json\r\nExpect: 100-continue\r\n` +
          `Content-Length: ${body.length}\r\n\r\n`,
      );
      await new Promise((r) => socket.once("close", r));
      const raw = Buffer.concat(chunks).toString("latin1");
      expect(raw.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")).toBe(true);
      expect(raw).toContain("Content-Type: image/svg+xml");
    },
    SLOW,
  );
});

describe("the request log", () => {
  it(
    "writes only errors with LOG_REQUESTS=errors, and errors and slow requests with slow",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, LOG_REQUESTS: "errors" });
      const { key } = await createKeyWithCli(dataDir);
      const send = (id: string, withKey: boolean) =>
        fetch(s.url + DATAMATRIX, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-request-id": id,
            ...(withKey ? { "x-api-key": key } : {}),
          },
          body: JSON.stringify(PAYLOAD),
        }).then((r) => r.arrayBuffer());
      await send("served-1", true);
      await send("refused-1", false);
      await vi.waitFor(() =>
        expect(s.logs().find((l) => l.req_id === "refused-1")).toMatchObject({ status: 401 }),
      );
      expect(s.logs().filter((l) => l.req_id === "served-1")).toEqual([]);

      // slow with a threshold of an hour: the render is not slow, so only the 404 is written.
      const quiet = await start({
        DATA_DIR: dataDir,
        LOG_REQUESTS: "slow",
        LOG_SLOW_MS: "3600000",
      });
      await fetch(quiet.url + DATAMATRIX, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key, "x-request-id": "fast-1" },
        body: JSON.stringify(PAYLOAD),
      }).then((r) => r.arrayBuffer());
      await fetch(`${quiet.url}/nowhere`, { headers: { "x-request-id": "missing-1" } });
      await vi.waitFor(() =>
        expect(quiet.logs().find((l) => l.req_id === "missing-1")).toMatchObject({ status: 404 }),
      );
      expect(quiet.logs().filter((l) => l.req_id === "fast-1")).toEqual([]);
    },
    SLOW,
  );

  it(
    "logs a request the client abandoned as aborted (499), not as a 200",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir });
      const { key } = await createKeyWithCli(dataDir);
      // Gone halfway through its body. (Gone during the drawing is no longer observable: since
      // HRI comes from the font table, drawing is synchronous, and a disconnect is only seen once
      // the response was handed to the kernel.)
      const body = JSON.stringify({ ...PAYLOAD, format: "png" });
      const socket = await rawConnection(s);
      socket.write(
        `POST ${DATAMATRIX} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nX-Request-Id: gone-1\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      setTimeout(() => socket.destroy(), 50);
      await vi.waitFor(() =>
        expect(s.logs().find((l) => l.req_id === "gone-1")).toMatchObject({
          level: 40,
          msg: "request aborted by the client",
          status: 499,
        }),
      );
    },
    SLOW,
  );

  it(
    "logs requests cut at the shutdown deadline as such (503), and the drain as unclean",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, SHUTDOWN_TIMEOUT_MS: "300" });
      const { key } = await createKeyWithCli(dataDir);
      const body = JSON.stringify(PAYLOAD);
      const socket = await rawConnection(s);
      const response = exchange(
        socket,
        `POST ${DATAMATRIX} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nX-Request-Id: cut-1\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      s.proc.kill("SIGTERM");
      expect(await response).toBe("");
      expect(await s.exited).toBe(1);
      expect(s.logs().find((l) => l.req_id === "cut-1")).toMatchObject({
        msg: "request cut at the shutdown deadline",
        status: 503,
      });
      expect(s.logs().find((l) => l.msg === "stopped")).toMatchObject({ clean: false });
    },
    SLOW,
  );
});

describe("SIGTERM under keep-alive load", () => {
  it(
    "answers every request the server read: 50 keep-alive clients sending through the signal",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir });
      const { key } = await createKeyWithCli(
        dataDir,
        "--per-minute",
        "1000000",
        "--per-day",
        "1000000000",
      );
      let answered = 0;
      let refused = 0;
      let signalled = false;
      const client = async (n: number) => {
        for (let i = 0; ; i++) {
          try {
            const res = await fetch(s.url + DATAMATRIX, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                "x-api-key": key,
                "x-request-id": `c${n}-${i}`,
              },
              body: JSON.stringify({ ...PAYLOAD, serial: `S${n}x${i}` }),
            });
            await res.arrayBuffer();
            expect(res.status).toBe(200);
            answered++;
          } catch {
            // Refused: the connection was closed or not accepted. Only after the signal.
            expect(signalled).toBe(true);
            refused++;
            return;
          }
        }
      };
      const clients = Array.from({ length: 50 }, (_, n) => client(n));
      await vi.waitFor(() => expect(answered).toBeGreaterThan(500), { timeout: 10_000 });
      signalled = true;
      s.proc.kill("SIGTERM");
      await Promise.all(clients);
      expect(await s.exited).toBe(0);
      const logged = s.logs().filter((l) => l.msg === "request" && l.path === DATAMATRIX);
      const aborted = s.logs().filter((l) => String(l.msg).startsWith("request aborted"));
      // Every request the server read was answered, and each client saw its answer.
      expect({ aborted: aborted.length, logged: logged.length }).toEqual({
        aborted: 0,
        logged: answered,
      });
      expect(refused).toBe(50);
    },
    SLOW,
  );
});
