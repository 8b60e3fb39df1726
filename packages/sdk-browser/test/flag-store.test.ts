import { describe, expect, it } from 'vitest';
import { createClient } from '../src';
import { FlagStore } from '../src/react';
import { booleanFlag, sampleSnapshot } from './support/harness';

const client = () => createClient({ offline: true, persist: false, bootstrap: sampleSnapshot(1) });

describe('FlagStore', () => {
  it('keeps returning the same object while nothing changes', () => {
    const store = new FlagStore(client(), { userId: 'u' });
    const first = store.details('checkout', 'x');
    expect(store.details('checkout', 'x')).toBe(first);
    expect(store.details('checkout', 'other default')).not.toBe(first);
  });

  it('sees a change made while nobody was subscribed', () => {
    const c = client();
    const store = new FlagStore(c, {});
    expect(store.details('banner', false).value).toBe(true);
    c.config.applyDelta({
      type: 'delta',
      from: 1,
      to: 2,
      changes: [{ kind: 'flag', key: 'banner', value: booleanFlag('banner', false) }],
    });
    expect(store.details('banner', false).value).toBe(false);
  });

  it('notifies only the listeners of affected keys, and none once they unsubscribed', () => {
    const c = client();
    const store = new FlagStore(c, { userId: 'u' });
    const calls: string[] = [];
    const offBanner = store.subscribe('flags', 'banner', () => calls.push('banner'));
    const offExp = store.subscribe('experiments', 'exp1', () => calls.push('exp1'));
    c.config.applyDelta({
      type: 'delta',
      from: 1,
      to: 2,
      changes: [{ kind: 'flag', key: 'banner', value: booleanFlag('banner', false) }],
    });
    expect(calls).toEqual(['banner']);
    offBanner();
    offExp();
    c.config.applyDelta({
      type: 'delta',
      from: 2,
      to: 3,
      changes: [{ kind: 'flag', key: 'banner', value: booleanFlag('banner') }],
    });
    expect(calls).toEqual(['banner']);
  });
});
