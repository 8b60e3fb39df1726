import { describe, expect, it } from 'vitest';
import * as core from '../src';

const sources = import.meta.glob<string>('../src/**/*.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The modules a source imports at run time (not `import type` / `export type`). */
function runtimeImports(source: string): string[] {
  const out: string[] = [];
  const statement = /^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms;
  for (const match of source.matchAll(statement)) if (!match[2]) out.push(match[3]!);
  return out;
}

function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return specifier;
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  const base = parts.join('/');
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => candidate in sources);
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}

describe('the main entry', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'CloseCodes',
        'DEFAULT_DEDUPER_CAPACITY',
        'DEFAULT_UNIT',
        'EXPOSURE_EVENT',
        'ExposureDeduper',
        'FLAG_EXPOSURE_EVENT',
        'MAX_BATCH_EVENTS',
        'MAX_CONDITION_DEPTH',
        'MAX_SEGMENT_CHAIN',
        'applyDelta',
        'assignExperiment',
        'chooseWeighted',
        'clientView',
        'compareVersions',
        'compileCondition',
        'cumulativeWeights',
        'emptySnapshot',
        'evalCondition',
        'evaluateFlag',
        'hash',
        'hashPrefix',
        'hashWithPrefix',
        'inLayerRange',
        'inRollout',
        'isUuidV7',
        'matchesFlagType',
        'parseVersion',
        'position',
        'positionPrefix',
        'positionWithPrefix',
        'rangeStart',
        'unitOf',
        'utf8Bytes',
        'uuidv7',
        'uuidv7Time',
        'winnerFirstPosition',
        'winnerRange',
      ].sort(),
    );
  });

  it('re-exports everything the conditions module exports', async () => {
    const conditions = await import('../src/conditions');
    for (const name of Object.keys(conditions)) expect(core).toHaveProperty(name);
  });

  it('does not load zod at run time: schemas stay behind @switchyard/core/schema', () => {
    const seen = new Set<string>();
    const pending = ['../src/index.ts'];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of runtimeImports(sources[file]!)) {
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(/^zod/);
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(/schema/);
        const target = resolve(file, specifier);
        expect(target, `${file} imports ${specifier}`).toBeDefined();
        pending.push(target!);
      }
    }
    expect(seen.size).toBeGreaterThan(20);
  });

  it('uses no platform globals: the clock and randomness are passed in', () => {
    // Usage forms, so that a local named `document` or `process` would not count.
    const forbidden =
      /\b(TextEncoder|TextDecoder|globalThis)\b|\b(crypto|process|performance|window|navigator|Buffer)\.|\b(setTimeout|setInterval|setImmediate|require|fetch)\(|Date\.now|new Date\(\)|Math\.random/;
    for (const [file, source] of Object.entries(sources)) {
      expect(withoutComments(source), file).not.toMatch(forbidden);
    }
  });
});
