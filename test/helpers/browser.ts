// Headless Chromium for tests of HTML output (build sheets, fleet reports), driven by playwright-core.
// Chromium is the system's (Debian's `chromium`); nothing is downloaded. Tests call needTools first.
import type { Browser } from 'playwright-core';
import { tool } from './tools.js';

/** Flags for a closed network: no background fetches, no sandbox (tests run as root in CI). */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium; the caller closes it (use withBrowser where possible). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = tool('chromium');
  if (!executablePath)
    throw new Error('chromium is not installed (call needTools(this, …, "chromium") first)');
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: ARGS });
}

/** Runs `fn` with a fresh browser and closes it whatever happens. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}
