// Headless Debian Chromium for the page tests, launched one way.
import { type Browser, chromium } from "playwright-core";

// The flags this machine needs (see .library/env/machines/): without the background-networking
// ones Chromium keeps trying to reach Google, which the closed network refuses.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches /usr/bin/chromium headless with the flags above. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
