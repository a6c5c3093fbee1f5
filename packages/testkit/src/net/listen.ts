import type { Server } from 'node:net';

/** Bind a server to an ephemeral loopback port and return the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      const address = server.address();
      if (typeof address !== 'object' || !address) {
        reject(new Error('loopback server has no address; cannot determine its port'));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Close a server and drop keep-alive sockets so close() does not wait for idle clients. */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
