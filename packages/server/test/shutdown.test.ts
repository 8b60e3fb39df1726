import { describe, expect, it } from 'vitest';
import { startServer } from './support/server';

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then refuses new ones and closes the store', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inHook = new Promise<void>((r) => (entered = r));
    const t = await startServer({
      webhooks: false,
      hooks: ($) => {
        $.Segment.creating(async () => {
          entered();
          await gate;
        });
      },
    });
    const slow = t.api('POST', '/v1/segments', { key: 'slow', condition: {} });
    await inHook;
    const closing = t.server.close();
    release();
    expect((await slow).status).toBe(201);
    await closing;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
    await expect(t.server.store.read((r) => r.latestSeq())).rejects.toThrow('closed');
  });

  it('runs the attach hook on listen and its closer first on close', async () => {
    const order: string[] = [];
    const t = await startServer({
      webhooks: false,
      attach: (http) => {
        order.push(`attached ${http.listening}`);
        return async () => void order.push('detached');
      },
    });
    expect(t.server.http?.listening).toBe(true);
    await t.close();
    expect(order).toEqual(['attached true', 'detached']);
  });
});
