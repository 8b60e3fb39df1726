// The floor of bench:sync: a bare `ws` server with no compression and no protocol beyond the
// minimum the clients need (hello → the given snapshot frame), broadcasting one pre-serialized
// frame to every socket in a plain loop. Whatever our server adds to that is its overhead.
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { FloorCommand, FloorReport } from './fleet-messages';

const sockets = new Set<WebSocket>();
let snapshot = Buffer.alloc(0);

function report(message: FloorReport): void {
  process.send!(message);
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });

server.on('connection', (socket) => {
  socket.once('message', (data) => {
    let hello: { type?: unknown } | undefined;
    try {
      hello = JSON.parse(String(data)) as { type?: unknown };
    } catch {
      hello = undefined;
    }
    if (hello?.type !== 'hello') return socket.close(4400, 'expected hello');
    socket.send(snapshot, { binary: false });
    sockets.add(socket);
  });
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.terminate());
});

server.on('listening', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object')
    report({ type: 'listening', port: address.port });
});

process.on('message', (command: FloorCommand) => {
  if (command.type === 'configure') {
    snapshot = Buffer.from(command.snapshotFrame);
    report({ type: 'configured' });
  } else {
    const frame = Buffer.from(command.frame);
    for (const socket of sockets) socket.send(frame, { binary: false });
    report({ type: 'sent', sockets: sockets.size });
  }
});

process.on('disconnect', () => process.exit(0));
