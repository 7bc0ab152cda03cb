import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install -y chromium); playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.TRACKER_CHROMIUM ?? '/usr/bin/chromium';

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Where the suites save what each page looked like (gitignored). */
export const SCREENSHOTS = join(process.cwd(), 'test/browser/screenshots');

export interface ChromiumStatus {
  available: boolean;
  reason: string;
}

/** Launches chromium once to see that it works; never throws. */
export async function detectChromium(): Promise<ChromiumStatus> {
  if (!existsSync(CHROMIUM_PATH)) return { available: false, reason: `${CHROMIUM_PATH} is missing (apt-get install -y chromium)` };
  try {
    const browser = await launchChromium();
    await browser.close();
    return { available: true, reason: '' };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

/**
 * `describe` when chromium runs here. Otherwise prints one line naming the suite and the reason and returns
 * `describe.skip`, so its tests count as skipped in Jest's summary instead of passing. Detect with a top-level
 * `await` before calling this (Jest registers suites synchronously).
 */
export function describeWithChromium(suite: string, status: ChromiumStatus): typeof describe | typeof describe.skip {
  if (status.available) return describe;
  process.stderr.write(`SKIPPED: ${suite} — no usable chromium (${status.reason})\n`);
  return describe.skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, headless: true });
}

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** A fresh browser profile (cookies of its own) in English at desktop width. */
export function newContext(browser: Browser, baseURL: string, locale = 'en-GB'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, viewport: DESKTOP, acceptDownloads: true });
}

/** Saves the page at desktop and phone width as `<name>-desktop.png` and `<name>-phone.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(size);
}

/** Signs in through the sign-in form. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Fills the fields named by their labels. */
export async function fillIn(page: Page, values: Readonly<Record<string, string>>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label).fill(value);
}
