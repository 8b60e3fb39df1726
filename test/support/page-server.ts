import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One file a page server answers. */
export interface PageFile {
  type: string;
  body: string;
}

/** A static HTTP server on 127.0.0.1 for a test page and its scripts. */
export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `files` by path on an ephemeral port of 127.0.0.1; any other path is a 404. */
export async function servePage(files: Record<string, PageFile>): Promise<PageServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = Object.hasOwn(files, path) ? files[path] : undefined;
    if (file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The files of a page that runs `script` as its one module (at `/app.js`), and `extra` files. */
export function modulePage(
  script: string,
  extra: Record<string, PageFile> = {},
): Record<string, PageFile> {
  return {
    '/': {
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><meta charset="utf-8"><div id="app"></div><script type="module" src="/app.js"></script>',
    },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: script },
    ...extra,
  };
}
