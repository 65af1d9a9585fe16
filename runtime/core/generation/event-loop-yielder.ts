// EventLoopYielder: gives the host's event loop a turn during long generations, so aborts and disconnects are seen.

/** How often a turn is given: about one decode step, so an abort is seen within a step or two. */
const turnIntervalMs = 25;
/** How often that turn is a timer: timers (heartbeats, deadlines) wait at most this long. */
const timerTurnIntervalMs = 500;

/** A message turn: not clamped like setTimeout (1 ms in Node, 4 ms in browsers once timers nest). */
function messageTurn(): Promise<void> {
  if (typeof MessageChannel !== 'function') return timerTurn();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      // An open port with a handler keeps Node's event loop alive; close it once used.
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function timerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * onnxruntime-web's session.run can finish without a macrotask in between (WASM runs inside the
 * promise chain), so a generation would otherwise hold the event loop until it ends: sockets,
 * abort events and worker messages wait. `maybeYield` gives a turn at most every 25 ms: usually a
 * MessageChannel message (I/O and close events run, ~0.1 ms), every 500 ms a setTimeout(0) so
 * timers run too (~1 ms). Together well under 1% of generation time.
 */
export class EventLoopYielder {
  private lastTurn: number;
  private lastTimerTurn: number;

  constructor(private readonly monotonic: () => number) {
    this.lastTurn = this.lastTimerTurn = monotonic();
  }

  /** Gives the event loop a turn when one is due; resolves at once otherwise. */
  async maybeYield(): Promise<void> {
    const now = this.monotonic();
    if (now - this.lastTurn < turnIntervalMs) return;
    if (now - this.lastTimerTurn >= timerTurnIntervalMs) {
      await timerTurn();
      this.lastTimerTurn = this.monotonic();
    } else {
      await messageTurn();
    }
    this.lastTurn = this.monotonic();
  }
}
