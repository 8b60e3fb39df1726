import { MAX_BATCH_EVENTS, uuidv7 } from '@switchyard/core';
import type { TrackEvent } from '@switchyard/core/schema';
import type { SwitchyardClient } from '@switchyard/sdk-core';
import { browserRandom } from '../platform/browser-globals';

/**
 * Most bytes per beacon: browsers refuse a beacon once the page's keepalive requests in flight
 * would exceed 64 KiB, so each stays below with room for another request.
 */
export const BEACON_MAX_BYTES = 60_000;

/** What `beaconEvents` needs. */
export interface BeaconOptions {
  /** `POST /v1/events?key=<client key>`: a beacon cannot send an Authorization header. */
  url: string;
  /** Ids already sent by an earlier beacon of this page visit: not sent twice. */
  sent: Set<string>;
  maxBytes?: number;
}

/**
 * Sends the client's unsent events with `navigator.sendBeacon`, as `text/plain` bodies of the
 * same JSON `{ batchId, events }` as `POST /v1/events`, in as many beacons as the size limit
 * needs, and stops at the first the browser refuses. A beacon the browser takes is delivered
 * even after the page is gone, but nobody hears the answer. While the socket is live the hand-off
 * is optimistic: the waiting events it carried leave the queue and its storage. While it is not
 * (the server may be unreachable though the browser is online, and still accepts the beacon), they
 * stay queued. Events of the batch in flight always stay queued and settle normally; the ids are
 * the same every way, so the server stores each event once. Nothing is sent while the browser says it is offline: the events stay in IndexedDB
 * for the next visit. Returns how many events went out.
 */
export function beaconEvents(
  client: SwitchyardClient,
  { url, sent, maxBytes = BEACON_MAX_BYTES }: BeaconOptions,
): number {
  if (typeof navigator === 'undefined' || !navigator.sendBeacon || navigator.onLine === false) {
    return 0;
  }
  let chunk: TrackEvent[] = [];
  let bytes = 0;
  let count = 0;
  const post = (): boolean => {
    const body = JSON.stringify({ batchId: uuidv7(Date.now(), browserRandom(16)), events: chunk });
    if (!navigator.sendBeacon(url, body)) return false;
    for (const e of chunk) sent.add(e.id);
    count += chunk.length;
    chunk = [];
    bytes = 0;
    return true;
  };
  for (const event of client.unsentEvents()) {
    if (sent.has(event.id)) continue;
    const size = new Blob([JSON.stringify(event)]).size + 1;
    const full = bytes + size + 64 > maxBytes || chunk.length >= MAX_BATCH_EVENTS;
    if (chunk.length && full && !post()) break;
    chunk.push(event);
    bytes += size;
  }
  if (chunk.length) post();
  // Only a live connection says the server is reachable; else the beacon may go nowhere, so the
  // events stay queued (a copy that did arrive is absorbed by the server's dedup by id).
  if (client.sync?.live) client.handOffEvents([...sent]);
  return count;
}
