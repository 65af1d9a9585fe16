// GET /api/events: the event bus as server-sent events, until the client leaves.
import { Hono } from 'hono';
import type { Daemon } from '../appliance/daemon.js';
import { requireScope, type ApiEnv } from './api-auth.js';
import { sseResponse } from './sse-response.js';

/** /api/events (read scope); the first message is the current state. */
export function eventsRoute(daemon: Daemon): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/events', requireScope('read'), (c) =>
    sseResponse(c, (send, signal) => {
      send(JSON.stringify({ time: new Date().toISOString(), state: daemon.state }), 'state');
      const unsubscribe = daemon.events.subscribe((event) => send(JSON.stringify(event.data), event.type));
      return new Promise<void>((resolve) => {
        const stop = () => {
          unsubscribe();
          resolve();
        };
        // A stopping appliance ends the feed so the server can close.
        const unsubscribeState = daemon.events.subscribe((event) => {
          if (event.type === 'state' && event.data.to === 'stopping') setTimeout(stop, 50);
        });
        signal.addEventListener('abort', () => {
          unsubscribeState();
          stop();
        }, { once: true });
      });
    }),
  );
  return app;
}
