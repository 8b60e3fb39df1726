import { describe, expect, it } from 'vitest';
import { DeliveryError, MemoryEventQueueStorage } from '../src';
import { ManualSender, testQueue } from './support/queue';
import { settle } from './support/seeded-random';

describe('EventQueue', () => {
  it('sends a batch as soon as it is full, not before', async () => {
    const sender = new ManualSender();
    const { queue, event } = testQueue({ batchSize: 3 }, sender.send);
    await settle();
    queue.push(event());
    queue.push(event());
    expect(sender.calls).toHaveLength(0);
    queue.push(event());
    expect(sender.calls).toHaveLength(1);
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('sends a partial batch once the interval has passed since it began', async () => {
    const sender = new ManualSender();
    const { queue, clock, event } = testQueue(
      { batchSize: 10, flushIntervalMs: 1000 },
      sender.send,
    );
    await settle();
    queue.push(event());
    clock.advance(600);
    queue.push(event());
    clock.advance(399);
    expect(sender.calls).toHaveLength(0);
    clock.advance(1);
    expect(sender.calls).toHaveLength(1);
    expect(sender.last.batch.events).toHaveLength(2);
  });

  it('retries a failed batch with backoff, under the same batchId and event ids, until acked', async () => {
    const sender = new ManualSender();
    const { queue, clock, event } = testQueue({ batchSize: 2 }, sender.send);
    await settle();
    queue.push(event());
    queue.push(event());
    const first = sender.last.batch;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      sender.last.reject(new DeliveryError('retry', 'down'));
      await settle();
      delays.push(clock.nextTimerIn()!);
      clock.advance(clock.nextTimerIn()!);
    }
    expect(sender.calls).toHaveLength(5);
    for (const call of sender.calls) {
      expect(call.batch.batchId).toBe(first.batchId);
      expect(call.batch.events.map((e) => e.id)).toEqual(['e1', 'e2']);
    }
    delays.forEach((d, i) => expect(d).toBeGreaterThanOrEqual(Math.min(1000, 100 * 2 ** i) / 2));
    sender.last.resolve();
    await settle();
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits as long as a 429 Retry-After asks, even when flushed', async () => {
    const sender = new ManualSender();
    const { queue, clock, event } = testQueue({ batchSize: 1 }, sender.send);
    await settle();
    queue.push(event());
    sender.last.reject(new DeliveryError('retry', '429', 30_000));
    await settle();
    void queue.flush(60_000);
    await settle();
    expect(sender.calls).toHaveLength(1);
    clock.advance(29_999);
    expect(sender.calls).toHaveLength(1);
    clock.advance(1);
    expect(sender.calls).toHaveLength(2);
  });

  it('drops the oldest events past its bound and counts them', async () => {
    const sender = new ManualSender();
    const { queue, event, storage, errors } = testQueue(
      { batchSize: 100, maxQueueSize: 5 },
      sender.send,
    );
    await settle();
    for (let i = 0; i < 8; i++) queue.push(event());
    expect(queue.dropped).toBe(3);
    expect(queue.size).toBe(5);
    await settle();
    expect(((await storage.load()) as Array<{ id: string }>).map((e) => e.id)).toEqual([
      'e4',
      'e5',
      'e6',
      'e7',
      'e8',
    ]);
    expect(errors.filter((e) => e.code === 'QUEUE_OVERFLOW')).toHaveLength(1);
    const flushed = queue.flush();
    await settle();
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['e4', 'e5', 'e6', 'e7', 'e8']);
    sender.last.resolve();
    expect(await flushed).toBe(true);
  });

  it('drops events the server rejects as invalid, reports them, and does not resend them', async () => {
    const sender = new ManualSender();
    const { queue, event, errors } = testQueue({ batchSize: 3 }, sender.send);
    await settle();
    queue.push(event());
    queue.push(event('bad'));
    queue.push(event());
    sender.last.resolve({
      accepted: 2,
      rejected: [{ index: 1, id: 'e2', code: 'invalid', message: 'no' }],
    });
    await settle();
    expect(queue.size).toBe(0);
    const rejected = errors.find((e) => e.code === 'EVENTS_REJECTED');
    expect(
      (rejected?.details as { events: Array<{ id: string }> }).events.map((e) => e.id),
    ).toEqual(['e2']);
    expect(sender.calls).toHaveLength(1);
  });

  it('drops a batch refused as a whole and splits one that is too large', async () => {
    const sender = new ManualSender();
    const { queue, event, errors } = testQueue({ batchSize: 4 }, sender.send);
    await settle();
    for (let i = 0; i < 4; i++) queue.push(event());
    sender.last.reject(new DeliveryError('too-large', '413'));
    await settle();
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['e1', 'e2']);
    sender.last.resolve();
    await settle();
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['e3', 'e4']);
    sender.last.reject(new DeliveryError('invalid', '400'));
    await settle();
    expect(queue.size).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(['EVENTS_REJECTED']);
  });

  it('flush resolves true once everything queued so far is acked, and false after its timeout', async () => {
    const sender = new ManualSender();
    const { queue, clock, event } = testQueue({ batchSize: 2 }, sender.send);
    await settle();
    queue.push(event());
    queue.push(event());
    queue.push(event());
    let done: boolean | undefined;
    void queue.flush().then((d) => (done = d));
    await settle();
    queue.push(event()); // after the flush: not waited for
    sender.calls[0]!.resolve();
    await settle();
    expect(done).toBeUndefined();
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['e3', 'e4']);
    sender.last.resolve();
    await settle();
    expect(done).toBe(true);

    queue.push(event());
    const timedOut = queue.flush(2000);
    await settle();
    sender.last.reject(new DeliveryError('retry', 'down'));
    clock.advance(2000);
    expect(await timedOut).toBe(false);
    expect(queue.size).toBe(1);
  });

  it('close flushes, then refuses new events', async () => {
    const sender = new ManualSender();
    const { queue, event, errors } = testQueue({ batchSize: 100 }, sender.send);
    await settle();
    queue.push(event());
    const closed = queue.close();
    await settle();
    sender.last.resolve();
    expect(await closed).toBe(true);
    queue.push(event());
    expect(queue.size).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(['CLOSED']);
  });

  it('keeps unsent events in storage and sends them first after a restart', async () => {
    const storage = new MemoryEventQueueStorage();
    const dead = new ManualSender();
    const first = testQueue({ batchSize: 2 }, dead.send, storage);
    await settle();
    for (let i = 0; i < 3; i++) first.queue.push(first.event());
    await settle();
    // The process dies with e1, e2 in flight and e3 waiting: nothing was acked.
    const sender = new ManualSender();
    const second = testQueue({ batchSize: 10, flushIntervalMs: 1000 }, sender.send, storage);
    await second.queue.loaded();
    second.queue.push({ id: 'new', type: 'later' });
    await settle();
    expect(sender.calls).toHaveLength(1);
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    sender.last.resolve();
    await settle();
    second.clock.advance(1000);
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['new']);
    sender.last.resolve();
    await second.queue.close();
    expect(await storage.load()).toEqual([]);
  });

  it('skips stored entries that are not events, and forgets them', async () => {
    const storage = new MemoryEventQueueStorage();
    await storage.save([{ id: 'ok', type: 't' }, { nonsense: true } as never]);
    const sender = new ManualSender();
    const { queue } = testQueue({}, sender.send, storage);
    await queue.loaded();
    await settle();
    expect(sender.last.batch.events.map((e) => e.id)).toEqual(['ok']);
    expect(await storage.load()).toEqual([{ id: 'ok', type: 't' }]);
  });

  it('without a sender keeps events and flush resolves false at once', async () => {
    const { queue, event } = testQueue({}, undefined);
    queue.push(event());
    expect(await queue.flush()).toBe(false);
    expect(queue.size).toBe(1);
  });

  it('reads the storage before any write reaches it, so events pushed during the load are kept', async () => {
    const inner = new MemoryEventQueueStorage();
    await inner.save([{ id: 'old', type: 't' }]);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const storage = {
      load: async () => {
        order.push('load');
        await gate;
        order.push('read');
        return inner.load();
      },
      append: async (events: readonly { id: string }[]) => {
        order.push(`append ${events.map((e) => e.id).join(',')}`);
        await inner.append(events as never);
      },
      remove: (ids: readonly string[]) => inner.remove(ids),
      save: (events: never) => inner.save(events),
    };
    const { queue, event } = testQueue({ batchSize: 100 }, undefined, storage);
    queue.push(event());
    queue.push(event());
    await settle();
    release();
    await queue.loaded();
    expect(queue.size).toBe(3);
    await queue.close();
    expect(order).toEqual(['load', 'read', 'append e1,e2']);
    expect(((await inner.load()) as Array<{ id: string }>).map((e) => e.id)).toEqual([
      'old',
      'e1',
      'e2',
    ]);
  });
});
