// The agreement test's browser page: bundled with esbuild (platform browser) from the TypeScript
// sources of @switchyard/sdk-browser, run in Chromium. It fetches the client key's config as a
// browser app would, builds the browser client from it, and reads every unit locally.
import { createClient } from '@switchyard/sdk-browser';
import { codeUnitDigest, generateUnits } from '../../support/units';
import { encodeReadings, readThrough } from '../readings';
import type { Reader, ReadingPlan } from '../readings';

/** What the page answers the test. */
export interface PageResult {
  /** Digest of the contexts the page built, to show they are Node's, code unit for code unit. */
  digest: string;
  version: number | undefined;
  /** Flag keys of the client's config (the client view). */
  flagKeys: string[];
  rows: string[];
  /** The reading of each `absent` flag for the first unit (the client view has no such flag). */
  absent: Record<string, string | undefined>;
  userAgent: string;
  ms: number;
}

export interface PageRequest {
  seed: number;
  count: number;
  plan: ReadingPlan;
  absent: string[];
}

async function runAgreement(request: PageRequest): Promise<PageResult> {
  const response = await fetch('/config.json');
  const config: unknown = await response.json();
  const client = createClient({ offline: true, bootstrap: config, exposures: false });
  await client.ready({ timeoutMs: 5000 });
  const units = generateUnits(request.seed, request.count);
  const started = performance.now();
  const reader: Reader = client;
  const rows = units.map((context) =>
    encodeReadings(request.plan, readThrough(reader, request.plan, context)),
  );
  const ms = performance.now() - started;
  const absent: PageResult['absent'] = {};
  for (const key of request.absent) {
    absent[key] = client.getDetails(key, units[0]!, false).errorCode;
  }
  const result: PageResult = {
    digest: codeUnitDigest(units.map((u) => JSON.stringify(u))),
    version: client.snapshot?.version,
    flagKeys: Object.keys(client.snapshot?.flags ?? {}),
    rows,
    absent,
    userAgent: navigator.userAgent,
    ms,
  };
  await client.close({ timeoutMs: 1000 });
  return result;
}

(globalThis as unknown as { runAgreement: typeof runAgreement }).runAgreement = runAgreement;
