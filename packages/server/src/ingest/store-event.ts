import type { StoredEvent } from '../store/records';
import type { StoreWriter } from '../store/store';
import { readMetricCatalog } from './metric-catalog';
import { storeBatches } from './store-batches';

/**
 * Stores one event in the caller's transaction and counts it as SDK ingestion does (exposures,
 * metrics, aggregates), against the definitions that transaction sees: `Event.create` uses it, so
 * an event made through the management API counts like one an SDK sent. False when its id was
 * stored already (nothing changes then).
 */
export async function storeCountedEvent(tx: StoreWriter, event: StoredEvent): Promise<boolean> {
  const catalog = await readMetricCatalog(tx, event.environment);
  const { counts } = await storeBatches(tx.ingest, new Map([[event.environment, catalog]]), [
    { environment: event.environment, events: [event] },
  ]);
  return counts[0]!.accepted === 1;
}
