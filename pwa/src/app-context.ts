// AppContext: what the views share — settings, the inference worker client, and status reporting.
import type { AppSettings } from './app-settings.js';
import type { WorkerClient } from './worker-client.js';

/** Shared state handed to each view by main.ts. */
export interface AppContext {
  settings: AppSettings;
  /** The on-device worker once its model is loaded (undefined while loading or after a failure). */
  client: WorkerClient | undefined;
  /** Shows a short status line to the user (announced politely to screen readers). */
  announce(text: string): void;
  /** Shows the engine and speed line. */
  showSpeed(tokensPerSecond: number): void;
  /** Applies new settings (restarting the worker when the engine changes). */
  applySettings(settings: AppSettings): Promise<void>;
}
