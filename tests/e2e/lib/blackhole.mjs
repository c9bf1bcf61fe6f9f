// A server that accepts connections and never answers: what a proxy or firewall that swallows
// traffic looks like to a client (no error, no reply, no end).
import { createServer } from 'node:net';

export async function startBlackhole() {
  /** @type {Set<import('node:net').Socket>} */ const sockets = new Set();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('blackhole has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Connections made so far that are still held. */
    held: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
