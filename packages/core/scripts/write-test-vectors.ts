// Writes packages/core/test-vectors.json: `pnpm exec tsx packages/core/scripts/write-test-vectors.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { buildTestVectors } from './test-vectors';

const target = fileURLToPath(new URL('../test-vectors.json', import.meta.url));
// Compact JSON laid out by the repo's prettier config: one short case per line, lint-clean.
const options = (await prettier.resolveConfig(target)) ?? {};
const text = await prettier.format(JSON.stringify(buildTestVectors()), {
  ...options,
  parser: 'json',
});
writeFileSync(target, text);
console.log(`wrote ${target} (${text.length} bytes)`);
