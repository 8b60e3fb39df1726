import type { ConfigSnapshot } from '@switchyard/core';
import { SwitchyardClient } from '@switchyard/sdk-core';
import type { ClientOptions, Platform } from '@switchyard/sdk-core';
import { watchPage } from './page/page-lifecycle';

/**
 * A `SwitchyardClient` tied to its page (unload beacons, sending on reconnect), which also
 * remembers the config it was bootstrapped with: the config the server rendered the page with,
 * which React's hydration must see again. `close` unties it from the page first.
 */
export class BrowserClient extends SwitchyardClient {
  /** The bootstrap config, or undefined when the client was not bootstrapped. */
  readonly bootstrapped: ConfigSnapshot | undefined = this.snapshot;

  constructor(options: ClientOptions, platform: Platform, beacon: boolean) {
    super(options, platform);
    const events = this.endpoints?.events;
    const unwatch = watchPage(
      this,
      beacon && events ? `${events}?key=${encodeURIComponent(options.key!)}` : undefined,
    );
    const { close } = this;
    this.close = (o) => (unwatch(), close(o));
  }
}
