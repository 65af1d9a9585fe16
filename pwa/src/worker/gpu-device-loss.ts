// GpuDeviceLoss: notices when the GPU device a WebGPU engine runs on is lost, so that work waiting on it ends.
import type { OrtEngine } from '../../../runtime/core/index.js';

/** The part of a GPUDevice used here (TypeScript's DOM lib does not declare WebGPU). */
interface GpuDeviceLike {
  lost: Promise<{ reason: string; message: string }>;
}

/** Raised in place of work on a lost device: that work would otherwise never settle. */
export class GpuDeviceLostError extends Error {
  constructor(readonly reason: string) {
    super(`the GPU device was lost (${reason})`);
    this.name = 'GpuDeviceLostError';
  }
}

/**
 * Watches the device onnxruntime-web's WebGPU backend created. When the browser loses it (its GPU
 * process restarts, a phone reclaims the GPU from a backgrounded tab), a step in flight never
 * settles: the backend's buffer read-back fails outside the promise it awaits. So each piece of
 * work on the engine is raced against the loss (`guard`).
 */
export class GpuDeviceLoss {
  /** Why the device was lost, once it is. */
  reason: string | undefined;
  private readonly lost: Promise<never>;

  private constructor(device: GpuDeviceLike) {
    this.lost = device.lost.then((info) => {
      this.reason = info.message ? `${info.reason}: ${info.message}` : info.reason;
      throw new GpuDeviceLostError(this.reason);
    });
    this.lost.catch(() => undefined);
  }

  /** Watches a WebGPU engine's device; call it only once a session exists (reading the device earlier creates one). */
  static async watch(engine: OrtEngine): Promise<GpuDeviceLoss | undefined> {
    if (engine.name !== 'webgpu') return undefined;
    const { env } = engine.ort as { env?: { webgpu?: { device?: Promise<GpuDeviceLike> } } };
    // An engine whose device cannot be read still runs, unwatched, as it did before this watch existed.
    const device = await (async () => env?.webgpu?.device)().catch(() => undefined);
    return device?.lost ? new GpuDeviceLoss(device) : undefined;
  }

  /** Calls `listener` with the reason once the device is lost. */
  onLost(listener: (reason: string) => void): void {
    this.lost.catch(() => listener(this.reason ?? 'unknown'));
  }

  /** `work`, or GpuDeviceLostError as soon as the device is lost (at once when it already is). */
  guard<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.lost]);
  }
}
