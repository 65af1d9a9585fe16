// TransferRate: download speed over a sliding window, and the ETA it implies.

/** Bytes per second over the last `windowMs` of samples (a steadier figure than the last chunk's). */
export class TransferRate {
  private readonly samples: { at: number; bytes: number }[] = [];
  private total = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 3000,
  ) {
    this.samples.push({ at: now(), bytes: 0 });
  }

  /** Records `bytes` more received now. */
  add(bytes: number): void {
    this.total += bytes;
    const at = this.now();
    this.samples.push({ at, bytes: this.total });
    while (this.samples.length > 2 && at - this.samples[1].at > this.windowMs) this.samples.shift();
  }

  /** Recent speed in bytes per second (0 until some time has passed). */
  get bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? (last.bytes - first.bytes) / seconds : 0;
  }

  /** Seconds left for `remainingBytes` at the recent speed; undefined while the speed is unknown. */
  etaSeconds(remainingBytes: number | undefined): number | undefined {
    const speed = this.bytesPerSecond;
    if (remainingBytes === undefined || speed <= 0) return undefined;
    return Math.max(0, remainingBytes) / speed;
  }
}
