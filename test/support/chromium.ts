import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); never a browser downloaded by playwright. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium on one profile (user-data dir). */
export interface Chromium {
  context: BrowserContext;
  version: string;
  /** The profile directory: launch again on it to keep IndexedDB, cookies and the rest. */
  profile: string;
  /** Closes the browser; a profile this launch created is removed, one passed in is kept. */
  close(): Promise<void>;
}

/** A new, empty profile directory; the caller removes it (e.g. with `rmSync`). */
export function freshProfile(): string {
  return mkdtempSync(join(tmpdir(), 'switchyard-chromium-'));
}

/**
 * Launches Chromium on `profile` (kept on close, so a later launch on it sees the same storage),
 * or on a fresh profile removed on close; or answers why it cannot.
 */
export async function launchChromium(
  profile?: string,
): Promise<Chromium | { unavailable: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { unavailable: `no browser at ${CHROMIUM_PATH}` };
  const dir = profile ?? freshProfile();
  const discard = () => {
    if (profile === undefined) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      timeout: 30_000,
    });
    return {
      context,
      version: context.browser()?.version() ?? 'unknown',
      profile: dir,
      async close() {
        await context.close();
        discard();
      },
    };
  } catch (error) {
    discard();
    return { unavailable: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/**
 * Chromium for a test that needs it (on `profile`, else a fresh one): under `CI` a browser that
 * cannot launch is a failure (with the reason and the fix); elsewhere the test may skip, and
 * this prints why (null).
 */
export async function requireChromium(what: string, profile?: string): Promise<Chromium | null> {
  const launched = await launchChromium(profile);
  if ('context' in launched) return launched;
  const message =
    `${what} needs Chromium at ${CHROMIUM_PATH}, which could not be launched: ` +
    `${launched.unavailable}. Install it with \`apt-get install -y chromium\` (.ci/run does).`;
  const ci = process.env.CI;
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') throw new Error(message);
  console.warn(`[skipped locally] ${message}`);
  return null;
}
