import type { ConfigSnapshot } from '@switchyard/core';
import { SwitchyardClient } from '@switchyard/sdk-core';
import type { ClientOptions, Platform } from '@switchyard/sdk-core';
import { watchPage } from './page/page-lifecycle';

/**
 * A `SwitchyardClient` tied to its page (unload beacons, sending on reconnect), which also
 * remembers the config it was bootstrapped with: the config the server rendered the page with,
 * which React's hydration must see again.
 */
export class BrowserClient extends SwitchyardClient {
  /** The bootstrap config, or undefined when the client was not bootstrapped. */
  readonly bootstrapped: ConfigSnapshot | undefined;
  readonly #unwatch: () => void;

  constructor(options: ClientOptions, platform: Platform, beacon: boolean) {
    super(options, platform);
    this.bootstrapped = this.snapshot;
    const events = this.endpoints?.events;
    const beaconUrl =
      beacon && events !== undefined
        ? `${events}?key=${encodeURIComponent(options.key!)}`
        : undefined;
    this.#unwatch = watchPage(this, beaconUrl);
  }

  /** Unties the client from the page, then closes it like `SwitchyardClient.close`. */
  override close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    this.#unwatch();
    return super.close(options);
  }
}
