import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/web-sdk';
import { MemoryEventQueueStorage } from '@switchyard/sdk-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src';
import { SwitchyardWebProvider } from '../src/openfeature';
import { booleanFlag, runningExperiment, sampleSnapshot } from './support/harness';

afterEach(async () => {
  await OpenFeature.close();
  await OpenFeature.setContext({});
});

function snapshot(version = 1) {
  const s = sampleSnapshot(version);
  s.flags['vip-pricing'] = booleanFlag('vip-pricing', true, {
    defaultVariant: 'off',
    rules: [{ condition: { email: { $regex: '@example\\.com$' } }, variant: 'on' }],
  });
  return s;
}

const bootstrapped = (version = 1, eventStorage = new MemoryEventQueueStorage()) =>
  createClient({
    offline: true,
    persist: false,
    bootstrap: snapshot(version),
    platform: { eventStorage },
  });

describe('SwitchyardWebProvider', () => {
  it('resolves synchronously for the static context, with reasons, variants and metadata', async () => {
    const client = bootstrapped();
    await OpenFeature.setContext({ targetingKey: 'u1', email: 'ceo@example.com' });
    await OpenFeature.setProviderAndWait(new SwitchyardWebProvider(client));
    const of = OpenFeature.getClient();
    expect(of.getBooleanValue('banner', false)).toBe(true);
    const details = of.getStringDetails('checkout', 'none');
    expect(details).toMatchObject({
      value: client.getFlag('checkout', { userId: 'u1' }, 'none'),
      reason: 'SPLIT',
      variant: client.getVariant('exp1', { userId: 'u1' }),
      flagMetadata: { experiment: 'exp1' },
    });
    expect(of.getBooleanDetails('vip-pricing', false)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      variant: 'on',
    });
  });

  it('maps errors: missing flag, wrong type, and a missing targeting key as metadata', async () => {
    await OpenFeature.setProviderAndWait(new SwitchyardWebProvider(bootstrapped()));
    const of = OpenFeature.getClient();
    expect(of.getNumberDetails('nope', 7)).toMatchObject({
      value: 7,
      reason: 'ERROR',
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });
    expect(of.getNumberDetails('banner', 7)).toMatchObject({
      value: 7,
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(of.getStringDetails('checkout', 'none')).toMatchObject({
      value: 'old',
      reason: 'DEFAULT',
      flagMetadata: { switchyardCode: 'TARGETING_KEY_MISSING' },
    });
  });

  it('follows a context change with no reconciling: reads are local', async () => {
    const client = bootstrapped();
    await OpenFeature.setProviderAndWait(new SwitchyardWebProvider(client));
    const of = OpenFeature.getClient();
    await OpenFeature.setContext({ targetingKey: 'x', email: 'x@example.com' });
    expect(of.getBooleanValue('vip-pricing', false)).toBe(true);
    await OpenFeature.setContext({ targetingKey: 'x', email: 'x@elsewhere.org' });
    expect(of.getBooleanValue('vip-pricing', true)).toBe(false);
  });

  it('fails initialize when no config comes in time', async () => {
    const client = createClient({ offline: true, persist: false });
    await expect(
      OpenFeature.setProviderAndWait(new SwitchyardWebProvider(client, { readyTimeoutMs: 20 })),
    ).rejects.toBeDefined();
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.ERROR);
  });

  it('emits configuration changes with the affected flags', async () => {
    const client = bootstrapped(1);
    await OpenFeature.setProviderAndWait(new SwitchyardWebProvider(client));
    const changed: string[][] = [];
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (e) =>
      changed.push((e?.flagsChanged as string[] | undefined) ?? []),
    );
    const next = snapshot(2);
    next.experiments.exp1 = { ...runningExperiment('exp1'), status: 'Paused' };
    client.config.replace(next, 'server');
    await new Promise((r) => setTimeout(r, 10));
    expect(changed).toEqual([['checkout']]);
  });

  it('tracks events through the client, with targetingKey as the unit', async () => {
    const storage = new MemoryEventQueueStorage();
    const client = bootstrapped(1, storage);
    await OpenFeature.setContext({ targetingKey: 'u9' });
    await OpenFeature.setProviderAndWait(new SwitchyardWebProvider(client));
    OpenFeature.getClient().track('purchase', { value: 30, currency: 'EUR' });
    await OpenFeature.close();
    expect(await storage.load()).toMatchObject([
      { type: 'purchase', unit: 'u9', properties: { value: 30, currency: 'EUR' } },
    ]);
  });
});
