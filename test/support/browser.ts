import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContextOptions, chromium } from 'playwright-core';
import { REPO_ROOT } from './stack';

/**
 * Debian's Chromium, driven by playwright-core: never a downloaded browser. The flags keep it off
 * the network (this machine has none but loopback) and out of its background services.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** `extraArgs`: more Chromium flags, e.g. `--host-resolver-rules=MAP localhost 127.0.0.1` (still loopback only). */
export async function launchBrowser(extraArgs: string[] = []): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (.ci/run does this when it is absent).`);
  }
  // Playwright gives the browser a fresh temporary profile of its own and removes it on close
  // (it refuses a --user-data-dir argument to launch()).
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

/** Phone (390 px) and desktop (1280 px) viewports, for screenshots of every page. */
export const VIEWPORTS: Record<'phone' | 'desktop', BrowserContextOptions['viewport']> = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
};

/** Where browser tests leave screenshots (kept in the repo under docs/screenshots when refreshed). */
export function screenshotDir(): string {
  const dir = process.env.SCREENSHOT_DIR ?? join(REPO_ROOT, 'var', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
