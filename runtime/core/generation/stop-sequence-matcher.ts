// StopSequenceMatcher: finds stop strings in streamed text, holding back what might be the start of one.

export interface StopMatch {
  /** Text that is safe to show now. */
  emit: string;
  /** True when a stop string was found (the text before it was emitted, it and after were not). */
  stopped: boolean;
}

export class StopSequenceMatcher {
  private pending = '';

  private readonly stops: readonly string[];

  /** Empty stop strings are ignored (they would end every answer before it starts). */
  constructor(stops: readonly string[]) {
    this.stops = stops.filter((stop) => stop.length > 0);
  }

  /** Adds a text delta; returns what can be shown and whether a stop string ended the answer. */
  push(delta: string): StopMatch {
    if (this.stops.length === 0) return { emit: delta, stopped: false };
    this.pending += delta;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.pending.indexOf(stop);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      const emit = this.pending.slice(0, cut);
      this.pending = '';
      return { emit, stopped: true };
    }
    const held = this.longestHeldSuffix();
    const emit = this.pending.slice(0, this.pending.length - held);
    this.pending = this.pending.slice(this.pending.length - held);
    return { emit, stopped: false };
  }

  /** Text held back at the end of the answer (it turned out not to be a stop string). */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  private longestHeldSuffix(): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, this.pending.length); length > longest; length--) {
        if (this.pending.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
