import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { KeyKind } from '../store/records';
import type { SocketCount, SyncHubObserver } from '../sync/sync-hub';

/**
 * The sync stream's metrics: live SDK sockets per environment and key kind (counted at scrape
 * time from `sockets`), config steps broadcast, the frames they took, and sockets closed for
 * not reading.
 */
export class SyncMetrics implements SyncHubObserver {
  readonly #broadcasts: Counter<'environment'>;
  readonly #frames: Counter<'frame'>;
  readonly #slow: Counter<'environment' | 'key_kind'>;
  #sockets: () => readonly SocketCount[] = () => [];

  constructor(registry: Registry) {
    const registers = [registry];
    const counts = () => this.#sockets();
    new Gauge({
      name: 'switchyard_sync_sockets',
      help: 'Live SDK sockets on /v1/stream, by environment and key kind',
      labelNames: ['environment', 'key_kind'] as const,
      registers,
      collect() {
        this.reset();
        for (const c of counts()) {
          this.set({ environment: c.environment, key_kind: c.kind }, c.sockets);
        }
      },
    });
    this.#broadcasts = new Counter({
      name: 'switchyard_sync_broadcasts_total',
      help: 'Config steps pushed to the live sockets of an environment',
      labelNames: ['environment'] as const,
      registers,
    });
    this.#frames = new Counter({
      name: 'switchyard_sync_broadcast_frames_total',
      help: 'Frames broadcasts wrote: deltas, or snapshots to sockets that were behind',
      labelNames: ['frame'] as const,
      registers,
    });
    this.#slow = new Counter({
      name: 'switchyard_sync_slow_consumer_drops_total',
      help: 'Sockets closed with 4408 because their send buffer passed the bound',
      labelNames: ['environment', 'key_kind'] as const,
      registers,
    });
    for (const frame of ['delta', 'snapshot']) this.#frames.inc({ frame }, 0);
  }

  /** Where the sockets gauge reads its counts (the hub's `socketCounts`). */
  countSockets(sockets: () => readonly SocketCount[]): void {
    this.#sockets = sockets;
  }

  broadcast(environment: string, deltas: number, snapshots: number): void {
    this.#broadcasts.inc({ environment });
    if (deltas > 0) this.#frames.inc({ frame: 'delta' }, deltas);
    if (snapshots > 0) this.#frames.inc({ frame: 'snapshot' }, snapshots);
  }

  slowConsumer(environment: string, kind: KeyKind): void {
    this.#slow.inc({ environment, key_kind: kind });
  }
}
