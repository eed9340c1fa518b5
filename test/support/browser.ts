// The browser for the console tests: Debian's Chromium (or CHROMIUM_PATH) driven by
// Playwright; Playwright cannot download browsers here, so a missing one is a clear failure.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CONSOLE_DIST } from '../../api/console-static.ts';

/**
 * How long a browser test waits for what crosses Temporal (an Update, a workflow's read model,
 * the page's refetch): a loaded 2-core machine runs Postgres, Temporal, the worker, the API and
 * Chromium at once, so never a one-second default. Pass it to every expect.poll; pages get it
 * as their default timeout (newTestContext).
 */
export const UI_WAIT = { timeout: 30_000, interval: 100 } as const;

/** A browser context whose actions and waits default to UI_WAIT's timeout. */
export async function newTestContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(UI_WAIT.timeout);
  return context;
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium or Chrome for the browser tests. Install Debian\'s: `sudo apt-get install chromium` (npm test does it when run as root), or set CHROMIUM_PATH to a Chrome or Chromium binary.',
    );
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  // As root (CI) Chromium refuses its sandbox. A fake camera (a test pattern) stands in for a phone's.
  const fakeCamera = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
  return chromium.launch({ executablePath: chromiumPath(), args: [...fakeCamera, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])] });
}

/** The console as `npm run build:web` builds it; built here when missing (a test run outside npm test). */
export function ensureConsoleBuilt(): void {
  const index = `${CONSOLE_DIST}/index.html`;
  if (existsSync(index) && statSync(index).mtimeMs > Date.now() - 24 * 3600_000) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page: page as never }).analyze();
  const serious = violations.filter((v: { impact?: string | null }) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v: { id: string; help: string; nodes: { target: unknown[] }[] }) => `${what}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
