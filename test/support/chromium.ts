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

/** A headless Chromium with a fresh profile, removed on close. */
export interface Chromium {
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

/** Launches Chromium, or answers why it cannot. */
export async function launchChromium(): Promise<Chromium | { unavailable: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { unavailable: `no browser at ${CHROMIUM_PATH}` };
  const profile = mkdtempSync(join(tmpdir(), 'switchyard-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      timeout: 30_000,
    });
    return {
      context,
      version: context.browser()?.version() ?? 'unknown',
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    return { unavailable: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/**
 * Chromium for a test that needs it: under `CI` a browser that cannot launch is a failure (with
 * the reason and the fix); elsewhere the test may skip, and this prints why (null).
 */
export async function requireChromium(what: string): Promise<Chromium | null> {
  const launched = await launchChromium();
  if ('context' in launched) return launched;
  const message =
    `${what} needs Chromium at ${CHROMIUM_PATH}, which could not be launched: ` +
    `${launched.unavailable}. Install it with \`apt-get install -y chromium\` (.ci/run does).`;
  const ci = process.env.CI;
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') throw new Error(message);
  console.warn(`[skipped locally] ${message}`);
  return null;
}
