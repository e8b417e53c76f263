// Files of the browser bundles (build/preview, build/account), read once at start and served
// from memory with a strong ETag: the preview page and the account dashboard share this.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Request, Response } from "express";
import { type Representation, representation, sendRepresentation } from "../representation.js";

/** One file held in memory: its bytes, Content-Type and strong ETag. */
export type Asset = Representation;

/** One year: asset URLs carry a content hash, so a cached copy is never stale. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** Returns `body` as an Asset of MIME type `type`. */
export const asset = representation;

/** Returns the first 16 hex digits of the SHA-256 of `parts`: a URL segment for their version. */
export function versionOf(...parts: Buffer[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex").slice(0, 16);
}

/** Sends `a` with `cacheControl`, or 304 when the browser holds it (representation.ts). */
export function sendAsset(req: Request, res: Response, a: Asset, cacheControl: string): void {
  sendRepresentation(req, res, a, cacheControl);
}

/** Reads `dir/name`; throws naming the file and the build command when it is missing. */
export function readBuilt(dir: string, name: string): Buffer {
  const path = join(dir, name);
  if (!existsSync(path)) {
    throw new Error(`browser asset ${path} is missing; build it with "npm run build:preview"`);
  }
  return readFileSync(path);
}

/**
 * Returns build/<bundle>/: compiled, this file is build/js/server/routes/static-assets.js and the
 * bundle is build/<bundle>; run from src/ (vitest, tsx) it is <root>/build/<bundle>. Takes
 * whichever holds an index.html.
 */
export function builtDir(bundle: string): string {
  const compiled = fileURLToPath(new URL(`../../../${bundle}/`, import.meta.url));
  const fromSource = fileURLToPath(new URL(`../../../build/${bundle}/`, import.meta.url));
  return existsSync(join(compiled, "index.html")) ? compiled : fromSource;
}
