import type { SwitchyardClient } from '@switchyard/sdk-core';
import { beaconEvents } from './beacon-events';

/**
 * Ties a client to its page: when the page is hidden (`visibilitychange`) or left
 * (`pagehide`), unsent events go out by beacon to `beaconUrl` (if given); when the browser comes
 * back online, queued events are sent at once instead of after the retry backoff. Does nothing
 * outside a browser (server-side rendering). Returns the function that unties them.
 */
export function watchPage(client: SwitchyardClient, beaconUrl: string | undefined): () => void {
  if (typeof document === 'undefined') return () => {};
  const sent = new Set<string>();
  const onHide = () => beaconUrl && beaconEvents(client, { url: beaconUrl, sent });
  const listen = (target: EventTarget, type: string, listener: () => unknown) => {
    target.addEventListener(type, listener);
    return () => target.removeEventListener(type, listener);
  };
  const unlisten = [
    listen(window, 'pagehide', onHide),
    listen(window, 'online', () => client.flush()),
    // Back in view: events still queued are the normal path's again.
    listen(document, 'visibilitychange', () =>
      document.visibilityState === 'hidden' ? onHide() : sent.clear(),
    ),
  ];
  return () => unlisten.forEach((f) => f());
}
