// EventBus: the in-process feed behind GET /api/events (requests, answers, checkpoints, state changes, heartbeats).

/** One event on the bus: its type (the SSE event name) and a JSON payload. */
export interface BusEvent {
  type: 'request' | 'answer' | 'checkpoint' | 'state' | 'heartbeat' | 'error';
  data: Record<string, unknown>;
}

/** A synchronous publish/subscribe bus; a throwing subscriber cannot break the publisher. */
export class EventBus {
  private readonly subscribers = new Set<(event: BusEvent) => void>();

  publish(type: BusEvent['type'], data: Record<string, unknown> = {}): void {
    const event: BusEvent = { type, data: { time: new Date().toISOString(), ...data } };
    for (const subscriber of this.subscribers) {
      try {
        subscriber(event);
      } catch {
        // A broken SSE connection is that connection's problem; the others still get the event.
      }
    }
  }

  /** Calls `subscriber` with each event; returns the unsubscribe function. */
  subscribe(subscriber: (event: BusEvent) => void): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }
}
