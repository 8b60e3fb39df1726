// The browser SDK test's page, bundled with esbuild (react, react-dom and the SDK's sources) and
// run in Chromium. Like an app, it creates its client as the module loads, from the query string
// (`?server=&key=&flushMs=`), so a reload starts it again the same way. It records what the test
// checks: config changes, socket openings and React renders, with their times.
import { createElement } from 'react';
import type { ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { createClient } from '@switchyard/sdk-browser';
import type { BrowserClient, EvaluationContext, JsonValue } from '@switchyard/sdk-browser';
import { SwitchyardProvider, useFlag } from '@switchyard/sdk-browser/react';

/** A config change the client announced. */
export interface SeenChange {
  /** `Date.now()`: comparable with the test's clock (same machine). */
  wall: number;
  source: string;
  version: number;
  previousVersion: number | undefined;
  flags: string[];
}

/** What the page recorded since it loaded. */
export interface PageLog {
  changes: SeenChange[];
  /** In order: `socket` for each `new WebSocket`, `change:<source>` for each config change. */
  timeline: string[];
  /** Renders per React probe (by flag key). */
  renders: Record<string, number>;
  errors: string[];
}

/** One component that reads a flag with `useFlag`. */
export interface Probe {
  flag: string;
  fallback: JsonValue;
}

/** The page's handle, at `globalThis.sdkPage`. */
export interface SdkPage {
  client: BrowserClient;
  log: PageLog;
  /** The context every read of the page uses. */
  context: EvaluationContext;
  /** Renders one `useFlag` component per probe under a `SwitchyardProvider`. */
  mount(probes: Probe[]): void;
  /** The text a probe shows (its value as JSON), or null when it is not rendered. */
  shown(flag: string): string | null;
  /** Every entry of the SDK's IndexedDB store (`switchyard`/`kv`) as [key, value]. */
  stored(): Promise<[IDBValidKey, unknown][]>;
}

declare global {
  /** The page's handle, for the test's `page.evaluate` callbacks. */
  var sdkPage: SdkPage;
}

const params = new URLSearchParams(location.search);
const key = params.get('key') ?? '';
const context: EvaluationContext = { userId: params.get('user') ?? 'page-user' };
const log: PageLog = { changes: [], timeline: [], renders: {}, errors: [] };

// Sockets the SDK opens go through the global WebSocket: note when each one is made.
const NativeWebSocket = globalThis.WebSocket;
globalThis.WebSocket = class extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    log.timeline.push('socket');
    super(url, protocols);
  }
};

const client = createClient({
  url: params.get('server') ?? '',
  key,
  reconnect: { baseMs: 100, maxMs: 400 },
  events: {
    flushIntervalMs: Number(params.get('flushMs') ?? 100),
    retry: { baseMs: 100, maxMs: 400 },
  },
});
client.on('change', (event) => {
  log.timeline.push(`change:${event.source}`);
  log.changes.push({
    wall: Date.now(),
    source: event.source,
    version: event.version,
    previousVersion: event.previousVersion,
    flags: [...event.flags],
  });
});
client.on('error', (error) => log.errors.push(`${error.code}: ${error.message}`));

function ProbeView({ flag, fallback }: Probe): ReactElement {
  const value = useFlag(flag, fallback);
  log.renders[flag] = (log.renders[flag] ?? 0) + 1;
  return createElement('p', { id: `flag-${flag}` }, JSON.stringify(value));
}

let root: Root | undefined;

function stored(): Promise<[IDBValidKey, unknown][]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('switchyard');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('kv')) {
        db.close();
        resolve([]);
        return;
      }
      const store = db.transaction('kv', 'readonly').objectStore('kv');
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        db.close();
        resolve(keys.result.map((k, i) => [k, values.result[i]]));
      };
      values.onerror = () => reject(values.error);
    };
  });
}

const page: SdkPage = {
  client,
  log,
  context,
  mount(probes) {
    root ??= createRoot(document.getElementById('app')!);
    root.render(
      createElement(
        SwitchyardProvider,
        { client, context },
        probes.map((p) => createElement(ProbeView, { key: p.flag, ...p })),
      ),
    );
  },
  shown: (flag) => document.getElementById(`flag-${flag}`)?.textContent ?? null,
  stored,
};
globalThis.sdkPage = page;
