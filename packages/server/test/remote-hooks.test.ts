import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEventMessage, ErrorMessage } from '@switchyard/core/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { createRemoteHookDelivery, remoteHookCursor } from '../src/remote-hooks';
import type { HookSubscriber, RemoteHookDelivery } from '../src/remote-hooks';
import type { KeyKind } from '../src/store/records';
import { newSwitchyard, ONBOARDING } from './support/switchyard';

/** A subscriber that records what it is sent. */
function subscriber(kind: KeyKind = 'admin', environment: string | null = null) {
  const domain: DomainEventMessage[] = [];
  const errors: ErrorMessage[] = [];
  const self: HookSubscriber & { domain: DomainEventMessage[]; errors: ErrorMessage[] } = {
    kind,
    environment,
    domain,
    errors,
    send(message) {
      if (message.type === 'domain') domain.push(message);
      else errors.push(message);
    },
  };
  return self;
}

const types = (s: { domain: DomainEventMessage[] }) => s.domain.map((m) => m.event.type);
const subscribe = (name: string, events: string[], more: object = {}) => ({
  type: 'subscribe' as const,
  name,
  events,
  ...more,
});
const ack = (name: string, seq: number) => ({ type: 'domain-ack' as const, name, seq });

describe('remote hook delivery', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(window?: number) {
    const t = await newSwitchyard();
    const delivery = createRemoteHookDelivery({ store: t.store, pollMs: 0, window });
    cleanups.push(
      () => t.dispose(),
      () => delivery.close(),
    );
    return { ...t, delivery };
  }

  /** Waits until the delivery's queued steps are done (commits are heard synchronously). */
  const settle = (delivery: RemoteHookDelivery) => delivery.poke();

  it('sends only events committed after subscribing by default, with the entity state', async () => {
    const { $, delivery } = await setup();
    const before = await $.Experiment.create(ONBOARDING);
    const s = subscriber();
    await delivery.subscribe(s, subscribe('a', ['experiment.started', 'experiment.concluded']));
    await $.Experiment.start({ id: before.$id });
    await $.Experiment.conclude({ id: before.$id, winner: 'simplified', confidence: 0.97 });
    await settle(delivery);
    expect(types(s)).toEqual(['experiment.started', 'experiment.concluded']);
    const concluded = s.domain[1]!;
    expect(concluded.seq).toBe(3);
    expect(concluded.event).toMatchObject({
      seq: 3,
      id: before.$id,
      entityType: 'Experiment',
      environment: 'development',
      payload: { winner: 'simplified', confidence: 0.97 },
      entity: { $id: before.$id, name: 'Onboarding Flow V2', winner: 'simplified' },
    });
  });

  it('starts a new name after `after`, so events before the subscription reach it', async () => {
    const { $, delivery } = await setup();
    const e = await $.Experiment.create(ONBOARDING);
    await $.FeatureFlag.create({ key: 'not-matched' });
    await $.Experiment.start({ id: e.$id });
    const s = subscriber();
    await delivery.subscribe(s, subscribe('a', ['experiment.*'], { after: 0 }));
    expect(types(s)).toEqual(['experiment.created', 'experiment.started']);
  });

  it('keeps at most `window` events unacked and sends more as acks come', async () => {
    const { $, delivery } = await setup(2);
    const s = subscriber();
    await delivery.subscribe(s, subscribe('a', ['featureflag.created']));
    for (const key of ['a', 'b', 'c', 'd', 'e']) await $.FeatureFlag.create({ key });
    await settle(delivery);
    expect(s.domain.map((m) => m.seq)).toEqual([1, 2]);
    await delivery.ack(s, ack('a', 2));
    expect(s.domain.map((m) => m.seq)).toEqual([1, 2, 3]);
    await delivery.ack(s, ack('a', 1));
    await delivery.ack(s, ack('a', 3));
    expect(s.domain.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('sends unacked events again to the next socket of the name, and acked ones never', async () => {
    const { $, store, delivery } = await setup();
    const first = subscriber();
    await delivery.subscribe(first, subscribe('svc', ['featureflag.*']));
    const flag = await $.FeatureFlag.create({ key: 'f' });
    await $.FeatureFlag.enable({ id: flag.$id });
    await $.FeatureFlag.rollout({ id: flag.$id, percent: 20 });
    await settle(delivery);
    await delivery.ack(first, ack('svc', 1));
    // Progress is the seq before the oldest unacked event, even when a later one is acked.
    await delivery.ack(first, ack('svc', 3));
    expect(await store.read((r) => r.getCursor(remoteHookCursor('svc')))).toBe(1);
    await delivery.disconnect(first);

    const second = subscriber();
    await delivery.subscribe(second, subscribe('svc', ['featureflag.*']));
    expect(second.domain.map((m) => [m.seq, m.event.type])).toEqual([
      [2, 'featureflag.enabled'],
      [3, 'featureflag.rolledout'],
    ]);
  });

  it('lets a second socket of the name stand by and take over when the first goes', async () => {
    const { $, delivery } = await setup();
    const active = subscriber();
    const standby = subscriber();
    await delivery.subscribe(active, subscribe('svc', ['featureflag.created']));
    await delivery.subscribe(standby, subscribe('svc', ['featureflag.created']));
    await $.FeatureFlag.create({ key: 'one' });
    await settle(delivery);
    expect([types(active), types(standby)]).toEqual([['featureflag.created'], []]);
    // Acks from a socket that is not serving are ignored.
    await delivery.ack(standby, ack('svc', 1));
    await delivery.disconnect(active);
    await settle(delivery);
    expect(standby.domain.map((m) => m.seq)).toEqual([1]);
    await delivery.ack(standby, ack('svc', 1));
    await $.FeatureFlag.create({ key: 'two' });
    await settle(delivery);
    expect(standby.domain.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('keeps a server key to its environment and refuses client keys and other environments', async () => {
    const { $, delivery } = await setup();
    const server = subscriber('server', 'production');
    const admin = subscriber('admin', null);
    const scoped = subscriber('admin', null);
    await delivery.subscribe(server, subscribe('s', ['featureflag.created']));
    await delivery.subscribe(admin, subscribe('a', ['featureflag.created']));
    await delivery.subscribe(
      scoped,
      subscribe('p', ['featureflag.created'], { environment: 'development' }),
    );
    await $.FeatureFlag.create({ key: 'dev' });
    await $.env('production').FeatureFlag.create({ key: 'prod' });
    await settle(delivery);
    expect(server.domain.map((m) => m.event.environment)).toEqual(['production']);
    expect(admin.domain.map((m) => m.event.environment)).toEqual(['development', 'production']);
    expect(scoped.domain.map((m) => m.event.environment)).toEqual(['development']);

    const client = subscriber('client', 'development');
    await delivery.subscribe(client, subscribe('c', ['*']));
    const stranger = subscriber('server', 'production');
    await delivery.subscribe(stranger, subscribe('x', ['*'], { environment: 'development' }));
    expect([client.errors[0]?.code, stranger.errors[0]?.code]).toEqual(['forbidden', 'forbidden']);
    expect([client.domain, stranger.domain]).toEqual([[], []]);
  });

  it('replaces a socket’s subscription when it subscribes again', async () => {
    const { $, delivery } = await setup();
    const s = subscriber();
    await delivery.subscribe(s, subscribe('old', ['featureflag.created']));
    await delivery.subscribe(s, subscribe('new', ['segment.created']));
    await $.FeatureFlag.create({ key: 'f' });
    await $.Segment.create({ key: 'vips', condition: { plan: 'vip' } });
    await settle(delivery);
    expect(types(s)).toEqual(['segment.created']);
  });

  it('resumes from the stored progress after a server restart on the same SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remote-hooks-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { openStore } = await import('../src/store/open-store');
    const { Switchyard } = await import('../src/service/switchyard');
    const open = async () => {
      const store = await openStore({ db: join(dir, 'sy.db'), now: () => new Date() });
      const sy = new Switchyard({ store });
      await sy.environments.create('development', new Date());
      const delivery = createRemoteHookDelivery({ store, pollMs: 0 });
      return { sy, store, delivery };
    };
    const one = await open();
    const s1 = subscriber();
    await one.delivery.subscribe(s1, subscribe('svc', ['featureflag.created']));
    await one.sy.$.FeatureFlag.create({ key: 'a' });
    await one.sy.$.FeatureFlag.create({ key: 'b' });
    await settle(one.delivery);
    await one.delivery.ack(s1, ack('svc', 1));
    await one.delivery.close();
    await one.store.close();

    const two = await open();
    cleanups.push(async () => {
      await two.delivery.close();
      await two.store.close();
    });
    // Committed while nobody listened.
    await two.sy.$.FeatureFlag.create({ key: 'c' });
    const s2 = subscriber();
    await two.delivery.subscribe(s2, subscribe('svc', ['featureflag.created']));
    expect(s2.domain.map((m) => m.event.payload.key)).toEqual(['b', 'c']);
  });
});
