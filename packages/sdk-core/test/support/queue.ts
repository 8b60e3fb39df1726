import { uuidv7 } from '@switchyard/core';
import type { TrackEvent } from '@switchyard/core/schema';
import { eventQueue, ManualClock, MemoryEventQueueStorage, schemaDecoder } from '../../src';
import type {
  BatchSender,
  EventBatch,
  EventQueueSettings,
  EventQueueStorage,
  EventsResponse,
  SwitchyardError,
} from '../../src';
import { seededRandom } from './seeded-random';

/** A batch sender whose answers the test gives by hand. */
export class ManualSender {
  readonly calls: Array<{
    batch: EventBatch;
    resolve(response?: Partial<EventsResponse>): void;
    reject(error: unknown): void;
  }> = [];

  readonly send: BatchSender = (batch) =>
    new Promise((resolve, reject) => {
      this.calls.push({
        batch,
        resolve: (r = {}) =>
          resolve({ batchId: batch.batchId, accepted: batch.events.length, ...r }),
        reject,
      });
    });

  get last() {
    return this.calls.at(-1)!;
  }
}

export const defaultSettings: EventQueueSettings = {
  batchSize: 3,
  flushIntervalMs: 1000,
  maxQueueSize: 10,
  retry: { baseMs: 100, maxMs: 1000 },
  flushTimeoutMs: 5000,
};

/** An EventQueue over a manual clock, collecting errors. */
export function testQueue(
  settings: Partial<EventQueueSettings> = {},
  send: BatchSender | undefined,
  storage: EventQueueStorage = new MemoryEventQueueStorage(),
  clock = new ManualClock(1_000_000),
) {
  const errors: SwitchyardError[] = [];
  const random = seededRandom(3);
  const queue = eventQueue(
    { ...defaultSettings, ...settings },
    {
      clock,
      random,
      decoder: schemaDecoder,
      storage,
      ...(send ? { send } : {}),
      newId: () => uuidv7(clock.now(), random(16)),
      onError: (e) => errors.push(e),
    },
  );
  let n = 0;
  const event = (type = 'click'): TrackEvent => ({
    id: `e${++n}`,
    type,
    unit: 'u1',
    timestamp: clock.now(),
  });
  return { queue, clock, errors, storage, event };
}
