// The published "Labels" routes: POST/GET/DELETE /products/api/v1/labels/export/ (JSON, a
// multipart CSV upload, or text/csv), the signed download, and the issued-serials listing. The
// work is src/labels/service.ts; here only HTTP: bodies, status codes, headers.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { Express, NextFunction, Request, RequestHandler, Response } from "express";
import { ValidationError } from "../../issues.js";
import { artifactContentType } from "../../labels/container.js";
import { countCsvRecords } from "../../labels/items/csv.js";
import { previewCsv } from "../../labels/preview.js";
import { parseExportRequest } from "../../labels/request.js";
import {
  IdempotencyMismatchError,
  inputsDir,
  LabelLimitError,
  type LabelService,
  type Upload,
} from "../../labels/service.js";
import { type NamedTemplate, TEMPLATES } from "../../labels/sheets/templates.js";
import { sign, verify } from "../../labels/signing.js";
import type { JobRecord } from "../../labels/types.js";
import type { Principal } from "../middleware/authenticate.js";
import { jsonBody } from "../middleware/json-body.js";
import { methodNotAllowed } from "../middleware/not-found.js";
import type { DocumentedLabelLimits } from "../openapi-labels.js";
import { paginationOf, readPage } from "../pagination.js";
import { ProblemError } from "../problems.js";

export const LABELS_PATH = "/products/api/v1/labels";
const EXPORT_PATH = `${LABELS_PATH}/export/`;
/** The most a CSV preview request may carry: the first lines of a file, not the file. */
const PREVIEW_MAX_BYTES = 256 * 1024;
const DOWNLOAD_PATH = `${LABELS_PATH}/download`;

/** 10,000 inline items of a few hundred bytes each fit. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** shortuuid: 22 characters of its 57-letter alphabet. */
const JOB_ID = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]{22}$/;

/** The label export routes' path (jobs are polled at EXPORT_PATH + id + "/"). */
export { EXPORT_PATH as LABELS_EXPORT_PATH };

export interface LabelRoutesOptions {
  service: LabelService;
  /** The HMAC secret of download URLs. */
  secret: string;
  maxUploadBytes: number;
  now: () => number;
  /** The settings /openapi.json states. */
  documented?: DocumentedLabelLimits;
}

/** The owner of the caller's jobs: its user when it acts for one (so the dashboard sees them). */
export function ownerOf(principal: Principal): string {
  return principal.userId !== undefined ? `user:${principal.userId}` : principal.subject;
}

/** Adds the download route, which needs no credential (the URL's signature is one). */
export function mountLabelDownloads(app: Express, options: LabelRoutesOptions): void {
  app
    .route(`${DOWNLOAD_PATH}/:id`)
    .get(async (req: Request, res: Response, next: NextFunction) => {
      const id = String(req.params.id);
      const verdict = verify(
        options.secret,
        id,
        req.query.expires,
        req.query.signature,
        options.now(),
      );
      if (verdict === "tampered") {
        throw new ProblemError("forbidden", {
          detail: "This download link is not valid (its signature does not match).",
        });
      }
      if (verdict === "expired")
        throw gone("This download link has expired; poll the job for a fresh one.");
      const job = await options.service.deps.jobs.getById(id);
      const file = job && (await options.service.artifact(job));
      if (!job || !file || (job.sha256 === null && job.status === "completed")) {
        throw gone("This export's file has expired or was deleted.");
      }
      const isZip = job.status === "completed";
      const filename = isZip ? (job.outputFilename ?? `${id}.zip`) : `errors-${id}.csv`;
      res.setHeader("Cache-Control", "private, no-cache");
      if (isZip && job.sha256) res.setHeader("ETag", `"${job.sha256}"`);
      const sendOptions = {
        etag: false,
        lastModified: false,
        acceptRanges: true,
        cacheControl: false,
        // Read in 1 MiB chunks (send hands its options to createReadStream): a 71 MB ZIP reached
        // curl in 64 ms instead of 107-276 ms with the default 64 KiB; one buffer per download.
        highWaterMark: 1 << 20,
        headers: {
          "Content-Type": isZip
            ? artifactContentType(job.outputFilename)
            : "text/csv; charset=utf-8",
        },
      };
      res.download(file.path, filename, sendOptions, (err) => {
        if (!err || res.headersSent) return;
        // A range starting past the end (a client resuming a file it already has whole): send
        // has set Content-Range: bytes */size; answer the 416 it means, not a 500.
        if ((err as { status?: number }).status === 416) {
          res.status(416).end();
          return;
        }
        next(err);
      });
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
}

/** Adds the export and serials routes behind `guards` (caller, scope, CSRF). */
export function mountLabels(
  app: Express,
  options: LabelRoutesOptions,
  guards: readonly RequestHandler[],
): void {
  const { service } = options;
  const json = jsonBody(MAX_JSON_BYTES);

  app
    .route(EXPORT_PATH)
    .post(...guards, async (req: Request, res: Response, next: NextFunction) => {
      const type = (req.headers["content-type"] ?? "").toLowerCase();
      let upload: Upload | null = null;
      let body: unknown;
      try {
        if (type.startsWith("multipart/form-data")) {
          ({ upload, body } = await readMultipart(
            req,
            options.maxUploadBytes,
            service.deps.dir,
            service.deps.limits.maxItems,
          ));
        } else if (type.startsWith("text/csv")) {
          upload = await receiveCsv(
            req,
            req,
            options.maxUploadBytes,
            service.deps.dir,
            service.deps.limits.maxItems,
          );
          body = queryRequest(req.query);
        } else {
          await new Promise<void>((resolve, reject) =>
            json(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
          );
          body = req.body;
        }
        const key = idempotencyKey(req);
        const principal = req.auth?.principal as Principal;
        const { job, created } = await service.submit(
          { owner: ownerOf(principal), quotaSubject: principal.subject },
          body,
          upload,
          key,
        );
        upload = null;
        const pollUrl = `${EXPORT_PATH}${job.id}/`;
        res.status(202).setHeader("Location", pollUrl).setHeader("Retry-After", "1");
        if (!created) res.setHeader("Idempotent-Replayed", "true");
        res.json({ job_id: job.id, status: "pending", poll_url: pollUrl });
      } catch (err) {
        if (upload) await rm(upload.path, { force: true });
        next(translate(err));
      }
    })
    .get(...guards, async (req: Request, res: Response) => {
      const { page, size } = readPage(req.query);
      const owner = ownerOf(req.auth?.principal as Principal);
      const { rows, total } = await service.deps.jobs.list(owner, { page, pageSize: size });
      res.setHeader("Cache-Control", "no-store");
      res.json({
        data: rows.map((j) => jobJson(j, req, options)),
        pagination: paginationOf(page, size, total),
      });
    })
    .all(methodNotAllowed(["GET", "HEAD", "POST"]));

  app
    .route(`${EXPORT_PATH}:id/`)
    .get(...guards, async (req: Request, res: Response) => {
      const job = await ownJob(req, service);
      res.setHeader("Cache-Control", "no-store");
      res.json(jobJson(job, req, options));
    })
    .delete(...guards, async (req: Request, res: Response) => {
      const id = checkId(req.params.id);
      if (!(await service.cancel(ownerOf(req.auth?.principal as Principal), id)))
        throw noSuchJob(id);
      res.status(204).end();
    })
    .all(methodNotAllowed(["GET", "HEAD", "DELETE"]));

  app
    .route(`${LABELS_PATH}/serials/`)
    .get(...guards, async (req: Request, res: Response) => {
      const gtin = req.query.gtin;
      if (typeof gtin !== "string" || !/^\d{14}$/.test(gtin)) {
        throw new ProblemError("validation_error", {
          details: [
            {
              loc: ["query", "gtin"],
              msg: `gtin must be the 14-digit GTIN the serials were issued for; got ${JSON.stringify(gtin ?? null)}.`,
              type: "gtin",
            },
          ],
        });
      }
      const { page, size } = readPage(req.query);
      const { rows, total } = await service.deps.serials.listBatches(gtin, page, size);
      res.setHeader("Cache-Control", "no-store");
      res.json({ data: rows, pagination: paginationOf(page, size, total) });
    })
    .all(methodNotAllowed(["GET", "HEAD"]));

  // The dashboard's CSV preview: the first rows of a CSV (text/csv, the job's fields in the
  // query as for a text/csv export) as the job would read them, each with its problems under
  // the job's rules; no job is made (src/labels/preview.ts).
  app
    .route(`${LABELS_PATH}/csv-preview/`)
    .post(...guards, async (req: Request, res: Response, next: NextFunction) => {
      const type = (req.headers["content-type"] ?? "").toLowerCase();
      let path: string | null = null;
      try {
        if (!type.startsWith("text/csv")) {
          throw new ProblemError("unsupported_media_type", {
            detail: "The CSV preview takes the CSV's first lines as text/csv.",
          });
        }
        const parsed = parseExportRequest(queryRequest(req.query), true);
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of req as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > PREVIEW_MAX_BYTES) throw tooLarge(PREVIEW_MAX_BYTES);
          chunks.push(chunk);
        }
        const dir = inputsDir(service.deps.dir);
        await mkdir(dir, { recursive: true });
        path = join(dir, `preview-${randomUUID()}.csv`);
        await writeFile(path, Buffer.concat(chunks));
        const preview = await previewCsv(path, dir, parsed.spec);
        res.setHeader("Cache-Control", "no-store");
        res.json(preview);
      } catch (err) {
        const csvError = ["CsvHeaderError", "CsvSyntaxError"].includes((err as Error).name);
        next(csvError ? translate(new CsvUploadError((err as Error).message, "csv")) : err);
      } finally {
        if (path !== null) await rm(path, { force: true });
      }
    })
    .all(methodNotAllowed(["POST"]));

  app
    .route(`${LABELS_PATH}/templates/`)
    .get(...guards, (req: Request, res: Response) => {
      const { page, size } = readPage(req.query);
      const rows = TEMPLATES.slice((page - 1) * size, page * size).map(templateJson);
      res.setHeader("Cache-Control", "no-store");
      res.json({ data: rows, pagination: paginationOf(page, size, TEMPLATES.length) });
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
}

/** A named sheet template as GET /labels/templates/ lists it (millimetres, 4 decimals). */
export function templateJson(t: NamedTemplate) {
  const mm = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    name: t.name,
    description: t.description,
    source: t.source,
    page_width_mm: mm(t.pageWidthMm),
    page_height_mm: mm(t.pageHeightMm),
    columns: t.columns,
    rows: t.rows,
    label_width_mm: mm(t.labelWidthMm),
    label_height_mm: mm(t.labelHeightMm),
    margin_left_mm: mm(t.marginLeftMm),
    margin_top_mm: mm(t.marginTopMm),
    pitch_x_mm: mm(t.pitchXMm),
    pitch_y_mm: mm(t.pitchYMm),
  };
}

/** The published status object of a job. */
export function jobJson(job: JobRecord, req: Request, options: LabelRoutesOptions) {
  const completed = job.status === "completed";
  const expiresSec = job.expiresAt === null ? 0 : Math.floor(job.expiresAt / 1000);
  const link = (id: string) =>
    `${req.protocol}://${req.get("host")}${DOWNLOAD_PATH}/${id}?expires=${expiresSec}&signature=${sign(options.secret, id, expiresSec)}`;
  const expired = job.expiresAt !== null && job.expiresAt <= options.now();
  return {
    job_id: job.id,
    status: job.status,
    export_type: job.spec.exportType,
    file_format: job.spec.fileFormat,
    total_items: job.totalItems,
    processed_items: job.processedItems,
    progress_percent:
      job.totalItems === 0
        ? completed
          ? 100
          : 0
        : Math.min(100, Math.round((job.processedItems / job.totalItems) * 1000) / 10),
    download_url: completed && !expired ? link(job.id) : null,
    expires_at: completed && job.expiresAt !== null ? new Date(job.expiresAt).toISOString() : null,
    output_filename: completed ? job.outputFilename : null,
    file_size_bytes: completed ? job.fileSizeBytes : null,
    error: job.status === "failed" ? job.error : null,
    errors_url:
      job.status === "failed" && job.error?.invalid_count && job.expiresAt !== null && !expired
        ? link(job.id)
        : null,
    created_at: new Date(job.createdAt).toISOString(),
  };
}

async function ownJob(req: Request, service: LabelService): Promise<JobRecord> {
  const id = checkId(req.params.id);
  const job = await service.deps.jobs.get(ownerOf(req.auth?.principal as Principal), id);
  if (!job) throw noSuchJob(id);
  return job;
}

function checkId(raw: unknown): string {
  const id = String(raw);
  if (!JOB_ID.test(id)) {
    throw new ProblemError("validation_error", {
      details: [
        {
          loc: ["path", "job_id"],
          msg: `job_id must be 22 characters of the shortuuid alphabet; got ${JSON.stringify(id)}.`,
          type: "job_id",
        },
      ],
    });
  }
  return id;
}

// Another owner's job reads exactly like a job that does not exist: ids cannot be probed.
function noSuchJob(id: string): ProblemError {
  return new ProblemError("not_found", { detail: `No export job ${id}.` });
}

function gone(detail: string): ProblemError {
  return new ProblemError("gone", { detail });
}

/** Returns the request's Idempotency-Key, null without one; a malformed one is a 422. */
export function idempotencyKey(req: Request): string | null {
  const key = req.headers["idempotency-key"];
  if (key === undefined) return null;
  if (typeof key !== "string" || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ProblemError("validation_error", {
      details: [
        {
          loc: ["header", "Idempotency-Key"],
          msg: "Idempotency-Key must be 1 to 255 visible ASCII characters.",
          type: "idempotency_key",
        },
      ],
    });
  }
  return key;
}

/** Returns the problem a label-service error answers as (429, 422), or `err` itself. */
export function translate(err: unknown): unknown {
  if (err instanceof LabelLimitError) {
    return new ProblemError("rate_limited", {
      detail: err.message,
      retryAfter: err.retryAfterSec,
    });
  }
  if (err instanceof IdempotencyMismatchError) {
    return new ProblemError("validation_error", {
      detail: err.message,
      details: [
        { loc: ["header", "Idempotency-Key"], msg: err.message, type: "idempotency_mismatch" },
      ],
    });
  }
  if (err instanceof CsvUploadError) {
    return new ValidationError([
      { field: "file", value: null, rule: err.rule, message: err.message },
    ]);
  }
  return err;
}

class CsvUploadError extends Error {
  constructor(
    message: string,
    readonly rule: string,
  ) {
    super(message);
  }
}

// The job fields of a text/csv request come in the query: export_type, file_format, on_invalid,
// and the asset_config fields by name (numbers and booleans as their JSON text).
function queryRequest(query: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(query)) {
    if (typeof raw !== "string") continue;
    if (k === "export_type" || k === "file_format" || k === "on_invalid") body[k] = raw;
    else if (k === "asset_config") body[k] = parseJsonOr(raw);
    else config[k] = /^(true|false|-?\d+(\.\d+)?)$/.test(raw) ? JSON.parse(raw) : raw;
  }
  if (Object.keys(config).length > 0)
    body.asset_config = { ...(body.asset_config as object), ...config };
  return body;
}

function parseJsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

// Streams a CSV body to LABELS_DIR/inputs, hashing it and refusing it past `maxBytes` as it
// arrives (never held in memory), then counts its records (header checked, malformed CSV and
// too many rows refused) so the job's size is known at submission.
async function receiveCsv(
  req: Request,
  source: NodeJS.ReadableStream,
  maxBytes: number,
  dir: string,
  maxItems: number,
): Promise<Upload> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (source === req && declared > maxBytes) throw tooLarge(maxBytes);
  await mkdir(inputsDir(dir), { recursive: true });
  const path = join(inputsDir(dir), `${randomUUID()}.csv`);
  const hash = createHash("sha256");
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(path));
    const { count } = await countCsvRecords(createReadStream(path), { maxItems });
    return { path, count, sha256: hash.digest("hex") };
  } catch (err) {
    await rm(path, { force: true });
    if (err instanceof ProblemError) throw err;
    throw new CsvUploadError(
      (err as Error).message,
      (err as Error).name === "CsvLimitError" ? "max_items" : "csv",
    );
  }
}

function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError("payload_too_large", {
    detail: `The CSV file exceeds the limit of ${Math.round(maxBytes / 1048576)} MB (LABELS_MAX_UPLOAD_MB).`,
    headers: { Connection: "close" },
  });
}

// multipart/form-data: a `file` part (the CSV) and a `request` part (the job as JSON; or the
// job's fields as parts of their own).
function readMultipart(
  req: Request,
  maxBytes: number,
  dir: string,
  maxItems: number,
): Promise<{ upload: Upload; body: unknown }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 50, fieldSize: 1024 * 1024 },
      });
    } catch (err) {
      reject(
        new ProblemError("bad_request", {
          detail: `Malformed multipart body: ${(err as Error).message}`,
        }),
      );
      return;
    }
    const fields: Record<string, unknown> = {};
    let upload: Promise<Upload> | null = null;
    bb.on("file", (name, stream) => {
      if (name !== "file") {
        stream.resume();
        return;
      }
      upload = receiveCsv(req, stream, maxBytes, dir, maxItems);
      upload.catch(() => stream.resume());
    });
    bb.on("field", (name, value) => {
      fields[name] = value;
    });
    bb.on("error", (err) =>
      reject(
        new ProblemError("bad_request", {
          detail: `Malformed multipart body: ${(err as Error).message}`,
        }),
      ),
    );
    bb.on("close", async () => {
      if (!upload) {
        reject(
          new ValidationError([
            {
              field: "file",
              value: null,
              rule: "missing",
              message: "A multipart request needs a part named file holding the CSV.",
            },
          ]),
        );
        return;
      }
      try {
        const file = await upload;
        let body: unknown = fields;
        if (typeof fields.request === "string") {
          try {
            body = JSON.parse(fields.request);
          } catch {
            await rm(file.path, { force: true });
            reject(
              new ProblemError("bad_request", { detail: "The request part is not valid JSON." }),
            );
            return;
          }
        } else if (typeof fields.asset_config === "string") {
          body = { ...fields, asset_config: parseJsonOr(fields.asset_config) };
        }
        resolve({ upload: file, body });
      } catch (err) {
        reject(err);
      }
    });
    req.pipe(bb);
  });
}
