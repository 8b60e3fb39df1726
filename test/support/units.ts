// Platform-free on purpose: the agreement test bundles this file into the browser page, so
// Node and the page build the very same contexts from the same seed.
import type { EvaluationContext } from '@switchyard/core';

/** A seeded PRNG (mulberry32): the same sequence of [0, 1) numbers on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Pieces of unit ids, by script. Escapes keep the exact code units visible in review. */
export const UNIT_PIECES = {
  ascii: ['user', 'acct', 'u', 'visitor', 'Customer_', 'x-9'],
  latin: [
    'Jos\u00e9',
    'Zo\u00eb',
    '\u00c5ngstr\u00f6m',
    'fa\u00e7ade',
    '\u0141ukasz',
    'Stra\u00dfe',
  ],
  cjk: ['\u7528\u6237', '\u5c71\u7530\u592a\u90ce', '\uae40\ubbfc\uc900', '\u6771\u4eac'],
  emoji: [
    '\ud83d\ude80',
    '\ud83d\udc69\u200d\ud83d\udcbb',
    '\ud83c\udde9\ud83c\uddea',
    '\ud83d\udc4b\ud83c\udffd',
  ],
  combining: ['e\u0301', 'Zu\u0308rich', 'a\u030a\u0301', 'n\u0303o'],
  rtl: ['\u05e9\u05dc\u05d5\u05dd', '\u0645\u0631\u062d\u0628\u0627', '\u200f\u05d0\u05d1'],
  // Lone surrogates: not valid Unicode, but valid JS strings that real ids can hold (a
  // truncated emoji). Hashing reads each as U+FFFD; every path must still see the same string.
  lone: ['\ud800', '\udfff', 'a\ud83d', '\ude80b', '\udc00\ud800'],
} as const;

export type UnitScript = keyof typeof UNIT_PIECES;

const COUNTRIES = ['DE', 'AT', 'CH', 'FR', 'BE', 'US', 'JP', 'IL', 'EG', 'BR'];
const PLANS = ['free', 'pro', 'internal'];
const TIERS = ['Free', 'Team', 'Enterprise'];
// NFC and NFD Zürich on purpose: targeting compares code units, never normalizes.
const CITIES = [
  'Z\u00fcrich',
  'Zu\u0308rich',
  'S\u00e3o Paulo',
  '\u6771\u4eac',
  '\u0627\u0644\u0642\u0627\u0647\u0631\u0629',
];
const DOMAINS = ['example.org', 'switchyard.dev', 'mail.test', 'b\u00fccher.de'];
const VERSIONS = ['1.9.9', '2.2.0', '2.3.0', '2.3.0-beta.1', '2.10.1', '3.0.0'];

/** How unit ids are drawn: the weight of each script (lone surrogates kept rare, as in life). */
const SCRIPTS: readonly [UnitScript, number][] = [
  ['ascii', 40],
  ['latin', 14],
  ['cjk', 12],
  ['emoji', 12],
  ['combining', 10],
  ['rtl', 10],
  ['lone', 2],
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function scriptOf(random: () => number): UnitScript {
  let r = random() * 100;
  for (const [script, weight] of SCRIPTS) {
    r -= weight;
    if (r < 0) return script;
  }
  return 'ascii';
}

/**
 * `count` evaluation contexts from `seed`: a `userId` mixing scripts (a unique counter keeps
 * ids distinct), and targeting attributes. About 1% have a numeric `userId`, 0.5% none.
 */
export function generateUnits(seed: number, count: number): EvaluationContext[] {
  const random = mulberry32(seed);
  const units: EvaluationContext[] = [];
  for (let n = 0; n < count; n++) {
    const script = scriptOf(random);
    const context: Record<string, unknown> = {
      country: pick(random, COUNTRIES),
      plan: pick(random, PLANS),
      appVersion: pick(random, VERSIONS),
      city: pick(random, CITIES),
      email: `${pick(random, UNIT_PIECES.latin)}.${n}@${pick(random, DOMAINS)}`,
      org: { tier: pick(random, TIERS) },
    };
    const shape = random();
    if (shape < 0.005) {
      // No unit at all: rules that bucket fall through with TARGETING_KEY_MISSING.
    } else if (shape < 0.015) {
      context.userId = Math.floor(random() * 1e9);
    } else {
      const piece = pick(random, UNIT_PIECES[script]);
      const other = pick(random, UNIT_PIECES[scriptOf(random)]);
      context.userId = random() < 0.5 ? `${piece}-${n}` : `${n}${piece}${other}`;
    }
    units.push(context);
  }
  return units;
}

/** The scripts a unit id mixes, for the test's coverage summary. */
export function scriptsIn(id: string): UnitScript[] {
  const found = new Set<UnitScript>();
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      const d = id.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        found.add('emoji');
        i++;
      } else found.add('lone');
    } else if (c >= 0xdc00 && c < 0xe000) found.add('lone');
    else if (c >= 0x0300 && c < 0x0370) found.add('combining');
    else if ((c >= 0x0590 && c < 0x0700) || c === 0x200f) found.add('rtl');
    else if ((c >= 0x3000 && c < 0xa000) || (c >= 0xac00 && c < 0xd7b0)) found.add('cjk');
    else if (c >= 0x80 && c < 0x0250) found.add('latin');
  }
  return [...found];
}

/**
 * A digest of strings' UTF-16 code units (FNV-1a over each unit, with a separator), so two
 * platforms can show they hold the same strings, lone surrogates included, without sending them.
 */
export function codeUnitDigest(strings: readonly string[]): string {
  let h = 0x811c9dc5;
  const mix = (x: number) => {
    h ^= x;
    h = Math.imul(h, 0x01000193);
  };
  for (const s of strings) {
    for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
    mix(0x10000); // cannot be a code unit: separates strings
  }
  return (h >>> 0).toString(16).padStart(8, '0') + ':' + strings.length;
}
