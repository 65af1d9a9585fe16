// listenOnLoopback: binds a test HTTP server to a free loopback port; close() ends open (streaming) connections too.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening test server: its base URL (no trailing slash) and how to stop it. */
export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
