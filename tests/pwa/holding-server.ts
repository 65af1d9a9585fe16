// startHoldingServer: a front for a static server that holds back the files a test names — a model download still under way.
import { createServer } from 'node:http';
import { listenOnLoopback, type LoopbackServer } from '../support/listen-on-loopback.js';

export interface HoldingServer extends LoopbackServer {
  /** Holds the file whose path ends in `suffix`; the function returned lets it through. */
  hold(suffix: string): () => void;
}

export async function startHoldingServer(upstream: string): Promise<HoldingServer> {
  const held = new Map<string, Promise<void>>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', upstream);
    for (const [suffix, gate] of held) if (url.pathname.endsWith(suffix)) await gate;
    const answer = await fetch(url);
    response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    hold(suffix) {
      let release = () => {};
      held.set(suffix, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        held.delete(suffix);
        release();
      };
    },
  };
}
