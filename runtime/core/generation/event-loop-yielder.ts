// EventLoopYielder: gives the host's event loop a turn during long generations, so aborts and disconnects are seen.

/** How often a turn is given by default: an abort is seen within a few WASM decode steps. */
const defaultTurnIntervalMs = 25;
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

type SetImmediate = (callback: () => void) => unknown;

/**
 * Node's setImmediate (looked up per call, not imported: the core runs in browsers too). An
 * immediate lets pending I/O and close events run; called from the previous turn's immediate, as
 * every turn after a generation's first is, it spans a whole event-loop iteration, due timers
 * included. In the decode loop it costs 0.07 ms (median) against 0.23 ms for a MessageChannel
 * message and 1.25 ms for setTimeout(0), so where it exists it is every turn.
 */
function hostSetImmediate(): SetImmediate | undefined {
  const candidate = (globalThis as { setImmediate?: SetImmediate }).setImmediate;
  return typeof candidate === 'function' ? candidate : undefined;
}

/**
 * onnxruntime-web's session.run can finish without a macrotask in between (WASM runs inside the
 * promise chain), so a generation would otherwise hold the event loop until it ends: sockets,
 * abort events and worker messages wait. `maybeYield` gives a turn at most every 25 ms (or the
 * interval given): in Node a setImmediate (timers, I/O and close events all run); elsewhere usually
 * a MessageChannel message (I/O and messages run) and every 500 ms a setTimeout(0) so timers run
 * too (~1 ms). Together about 1% of generation time.
 */
export class EventLoopYielder {
  private lastTurn: number;
  private lastTimerTurn: number;
  private readonly turnIntervalMs: number;

  /** With `firstCallTurns`, the first maybeYield gives a turn at once instead of one interval later. */
  constructor(
    private readonly monotonic: () => number,
    options: { turnIntervalMs?: number; firstCallTurns?: boolean } = {},
  ) {
    this.turnIntervalMs = options.turnIntervalMs ?? defaultTurnIntervalMs;
    this.lastTurn = options.firstCallTurns ? -Infinity : monotonic();
    this.lastTimerTurn = monotonic();
  }

  /** Gives the event loop a turn when one is due; resolves at once otherwise. */
  async maybeYield(): Promise<void> {
    const now = this.monotonic();
    if (now - this.lastTurn < this.turnIntervalMs) return;
    const setImmediate = hostSetImmediate();
    if (setImmediate) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    } else if (now - this.lastTimerTurn >= timerTurnIntervalMs) {
      await timerTurn();
      this.lastTimerTurn = this.monotonic();
    } else {
      await messageTurn();
    }
    this.lastTurn = this.monotonic();
  }
}
