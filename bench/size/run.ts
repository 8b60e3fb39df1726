/**
 * `pnpm bench:size`: the minified + gzipped (level 9) size of the browser SDK, its React and
 * OpenFeature entries, and the peers' browser SDKs, each bundled the same way in the same run
 * (esbuild, ESM, platform browser, minified). Prints a table; never fails (the CI budget is
 * packages/sdk-browser/test/bundle-size.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { renderTable } from '../shared/table';
import type { Cell } from '../shared/table';
import { bundleSize, moduleShares } from './bundle-size';
import type { BundleSize } from './bundle-size';
import { MAIN_ENTRY, OUR_EXTERNALS, OURS, PEERS } from './targets';

const here = fileURLToPath(new URL('.', import.meta.url));
const kb = (bytes: number) => bytes / 1000;

async function measure(source: string, external: string[] = []): Promise<BundleSize | Error> {
  try {
    return await bundleSize(source, here, external);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const sizeCells = (size: BundleSize | Error): Cell[] =>
  size instanceof Error ? [undefined, undefined] : [kb(size.minified), kb(size.gzip)];

const ours = Object.fromEntries(
  await Promise.all(
    Object.entries(OURS).map(async ([name, source]) => [
      name,
      await measure(source, OUR_EXTERNALS),
    ]),
  ),
) as Record<keyof typeof OURS, BundleSize | Error>;

const onTop = (total: BundleSize | Error, base: BundleSize | Error): BundleSize | Error =>
  total instanceof Error
    ? total
    : base instanceof Error
      ? base
      : {
          minified: total.minified - base.minified,
          gzip: total.gzip - base.gzip,
        };

const rows: Cell[][] = [
  ['@switchyard/sdk-browser (main entry, all of it)', ...sizeCells(ours.main), 'yes'],
  ['@switchyard/sdk-browser createClient', ...sizeCells(ours.createClient), 'yes'],
  ['@switchyard/sdk-browser/react alone (react external)', ...sizeCells(ours.react), ''],
  ['  react entry on top of the main entry', ...sizeCells(onTop(ours.mainAndReact, ours.main)), ''],
  [
    '  openfeature entry on top of the main entry',
    ...sizeCells(onTop(ours.mainAndOpenFeature, ours.main)),
    '',
  ],
  [
    '  polling entry (HTTP config fallback) on top',
    ...sizeCells(onTop(ours.mainAndPolling, ours.main)),
    '',
  ],
  [
    '  sticky entry (sticky assignments) on top',
    ...sizeCells(onTop(ours.mainAndSticky, ours.main)),
    '',
  ],
];
const failures: string[] = [];
for (const [name, size] of Object.entries(ours)) {
  if (size instanceof Error) failures.push(`ours ${name}: ${size.message}`);
}
for (const peer of PEERS) {
  const [entry, client] = await Promise.all([measure(peer.entry), measure(peer.client)]);
  const local = peer.localEvaluation ? 'yes' : 'no';
  rows.push([`${peer.name} (main entry)`, ...sizeCells(entry), local]);
  rows.push([`${peer.name} ${peer.clientName}`, ...sizeCells(client), local]);
  for (const [what, size] of [
    ['entry', entry],
    ['client', client],
  ] as const) {
    if (size instanceof Error) failures.push(`${peer.name} ${what}: ${size.message}`);
  }
}

console.log(
  'Bundle sizes (esbuild --bundle --minify --format=esm --platform=browser; gzip -9 via node:zlib)\n',
);
console.log(renderTable(['bundle', 'min KB', 'gzip KB', 'local eval'], rows));
for (const failure of failures) console.log(`failed: ${failure}`);

// Where the main entry's bytes are: by package, then the largest modules. A module's gzip figure
// is its marginal cost (the gzipped bundle without its bytes is that much smaller).
const shares = await moduleShares(MAIN_ENTRY, here, OUR_EXTERNALS).catch((error: Error) => {
  console.log(`failed: module breakdown: ${error.message}`);
  return [];
});
const byPackage = new Map<string, { minified: number; gzip: number; modules: number }>();
for (const share of shares) {
  const name = /packages\/([^/]+)\//.exec(share.module)?.[1] ?? share.module.split('/')[0]!;
  const entry = byPackage.get(name) ?? { minified: 0, gzip: 0, modules: 0 };
  entry.minified += share.minified;
  entry.gzip += share.gzip;
  entry.modules++;
  byPackage.set(name, entry);
}
if (shares.length > 0) {
  console.log("\nThe main entry by package (gzip: the sum of its modules' marginal costs)\n");
  console.log(
    renderTable(
      ['package', 'modules', 'min KB', 'gzip KB'],
      [...byPackage]
        .sort((a, b) => b[1].minified - a[1].minified)
        .map(([name, p]) => [name, String(p.modules), kb(p.minified), kb(p.gzip)]),
    ),
  );
  console.log('\nIts largest modules, by minified bytes\n');
  console.log(
    renderTable(
      ['module', 'min bytes', 'gzip bytes'],
      [...shares]
        .sort((a, b) => b.minified - a.minified)
        .slice(0, 25)
        .map((m) => [
          m.module.replace(/^packages\//, '').replace('/src/', '/'),
          m.minified,
          m.gzip,
        ]),
    ),
  );
}
