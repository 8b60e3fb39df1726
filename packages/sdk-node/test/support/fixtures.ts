import type { ConfigSnapshot } from '@switchyard/core';

/** A config with a public flag, a server-only flag, an experiment and a flag delegating to it. */
export function nodeSnapshot(version = 1): ConfigSnapshot {
  const onOff = [
    { key: 'on', value: true },
    { key: 'off', value: false },
  ];
  return {
    version,
    environment: 'test',
    flags: {
      banner: {
        key: 'banner',
        salt: 'banner',
        type: 'boolean',
        enabled: true,
        variants: onOff,
        defaultVariant: 'on',
        rules: [],
      },
      'vip-pricing': {
        key: 'vip-pricing',
        salt: 'vip-pricing',
        type: 'boolean',
        enabled: true,
        variants: onOff,
        defaultVariant: 'off',
        rules: [{ condition: { $inSegment: 'vips' }, variant: 'on' }],
        serverOnly: true,
      },
      checkout: {
        key: 'checkout',
        salt: 'checkout',
        type: 'string',
        enabled: true,
        variants: [
          { key: 'control', value: 'old' },
          { key: 'treatment', value: 'new' },
        ],
        defaultVariant: 'control',
        rules: [{ experiment: 'exp1' }],
      },
    },
    experiments: {
      exp1: {
        id: 'exp1',
        salt: 'exp1',
        status: 'Running',
        variants: [
          { key: 'control', weight: 50 },
          { key: 'treatment', weight: 50 },
        ],
      },
    },
    segments: { vips: { email: { $in: ['ceo@example.com'] } } },
  };
}

/** Waits until `check` holds, polling every 10 ms, for at most `ms`. */
export async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
