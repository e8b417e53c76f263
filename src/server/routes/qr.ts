// POST /products/api/v1/qr/: the datamatrix endpoint's route (guards, JSON body, validation as a
// 422 problem, strong ETag, 30-day caching, 304) over the QR renderer.
import type { Express, RequestHandler } from "express";
import type { Renderer } from "../../index.js";
import { QR_PATH } from "../../types.js";
import { mountImageEndpoint } from "./datamatrix.js";

export { QR_PATH };

/**
 * Adds the QR endpoint to `app` behind `guards`, rendering with `render` (src/index.ts renderQr,
 * or a wrapper of it): the same statuses as the datamatrix endpoint.
 */
export function mountQr(app: Express, render: Renderer, guards: readonly RequestHandler[]): void {
  mountImageEndpoint(app, QR_PATH, render, guards);
}
