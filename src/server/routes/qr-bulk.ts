// POST /products/api/v1/qr/bulk/: the published bulk QR request, run as a label-export job of
// export_type qr_codes (a ZIP; src/labels/), not on a queue of its own. The body is every
// item's shared gtin, format and rendering options plus `items` of lot/serial/expiry; the answer
// is the published 202 {task_id, status, items, poll_url}, polled like any label job.
import type { Express, NextFunction, Request, RequestHandler, Response } from "express";
import { describeValue, type Issue, ValidationError } from "../../issues.js";
import type { Principal } from "../middleware/authenticate.js";
import { jsonBody } from "../middleware/json-body.js";
import { methodNotAllowed } from "../middleware/not-found.js";
import {
  idempotencyKey,
  LABELS_EXPORT_PATH,
  type LabelRoutesOptions,
  ownerOf,
  translate,
} from "./labels.js";

/** The bulk endpoint, as published. */
export const QR_BULK_PATH = "/products/api/v1/qr/bulk/";
/** Most items one bulk request carries, as published. */
export const MAX_BULK_ITEMS = 5000;
/** The item fields that vary; everything else is shared. */
const ITEM_FIELDS = ["lot", "serial", "expiry"];
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Returns the label-export request of a bulk body: export_type qr_codes, file_format the shared
 * `format` (default svg), asset_config every other shared field but gtin, and one item per
 * entry of `items` with the shared gtin. Throws ValidationError for a body that is not an
 * object, items that are not an array of 1 to 5,000 objects holding only lot, serial and
 * expiry (rules object_type, array_type, length, unknown_field); the job's own parser judges
 * the rest (gtin, values, options) as it does any label job.
 */
export function bulkToExport(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([
      {
        field: null,
        value: body,
        rule: "object_type",
        message: `The request must be a JSON object; got ${describeValue(body)}.`,
      },
    ]);
  }
  const { items, gtin, format, ...shared } = body as Record<string, unknown>;
  const issues: Issue[] = [];
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BULK_ITEMS) {
    issues.push({
      field: "items",
      value: Array.isArray(items) ? `${items.length} items` : items,
      rule: Array.isArray(items) ? "length" : "array_type",
      message: Array.isArray(items)
        ? `items must hold 1 to ${MAX_BULK_ITEMS} entries of lot, serial and expiry; got ${items.length}.`
        : `items must be an array of {lot, serial, expiry}; got ${describeValue(items)}.`,
    });
  } else {
    items.forEach((item, i) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        issues.push({
          field: `items.${i}`,
          value: item,
          rule: "object_type",
          message: `items[${i}] must be an object of lot, serial and expiry; got ${describeValue(item)}.`,
        });
        return;
      }
      for (const key of Object.keys(item)) {
        if (ITEM_FIELDS.includes(key)) continue;
        issues.push({
          field: `items.${i}.${key}`,
          value: (item as Record<string, unknown>)[key],
          rule: "unknown_field",
          message: `items[${i}].${key}: a bulk item varies only lot, serial and expiry; gtin, format and size are shared.`,
        });
      }
    });
  }
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 100));
  return {
    export_type: "qr_codes",
    ...(format === undefined ? {} : { file_format: format }),
    ...(Object.keys(shared).length > 0 ? { asset_config: shared } : {}),
    items: (items as Record<string, unknown>[]).map((item) => ({ gtin, ...item })),
  };
}

// The label request's names for the bulk body's fields: asset_config.X is the shared X,
// file_format is format; issues keep their rule and message.
function asBulkFields(err: unknown): unknown {
  if (!(err instanceof ValidationError)) return err;
  return new ValidationError(
    err.issues.map((issue) => ({
      ...issue,
      field:
        issue.field === "file_format"
          ? "format"
          : (issue.field?.replace(/^asset_config\./, "") ?? null),
    })),
  );
}

/**
 * Adds the bulk endpoint behind `guards`: the body becomes a qr_codes label job (bulkToExport),
 * submitted to the label service with the caller's quota and Idempotency-Key; 202 with
 * Location, `{task_id, status: "pending", items, poll_url}`. Refusals are the label export's:
 * 422 (every problem, named by the bulk body's fields), 429, 413/415/400.
 */
export function mountQrBulk(
  app: Express,
  options: LabelRoutesOptions,
  guards: readonly RequestHandler[],
): void {
  const { service } = options;
  app
    .route(QR_BULK_PATH)
    .post(
      ...guards,
      jsonBody(MAX_BODY_BYTES),
      async (req: Request, res: Response, next: NextFunction) => {
        try {
          const request = bulkToExport(req.body);
          const principal = req.auth?.principal as Principal;
          const { job, created } = await service.submit(
            { owner: ownerOf(principal), quotaSubject: principal.subject },
            request,
            null,
            idempotencyKey(req),
          );
          const pollUrl = `${LABELS_EXPORT_PATH}${job.id}/`;
          res.status(202).setHeader("Location", pollUrl).setHeader("Retry-After", "1");
          if (!created) res.setHeader("Idempotent-Replayed", "true");
          res.json({
            task_id: job.id,
            status: "pending",
            items: (request.items as unknown[]).length,
            poll_url: pollUrl,
          });
        } catch (err) {
          next(translate(asBulkFields(err)));
        }
      },
    )
    .all(methodNotAllowed(["POST"]));
}
