// AppContext: what the views share — settings, the inference worker client, and status reporting.
import type { AppSettings } from './app-settings.js';
import type { EngineReport } from './protocol/worker-protocol.js';
import type { WorkerClient } from './worker-client.js';

/** Shared state handed to each view by main.ts. */
export interface AppContext {
  settings: AppSettings;
  /**
   * The on-device worker that answers, from its creation on: requests sent while its model loads
   * wait for it, and fail with the load's error if it fails.
   */
  client: WorkerClient;
  /** The on-device engine that answers (once a model is loaded): the one chosen, and why others were not. */
  deviceEngine?: EngineReport;
  /** Shows a short status line to the user (announced politely to screen readers). */
  announce(text: string): void;
  /** Shows the engine and speed line. */
  showSpeed(tokensPerSecond: number): void;
  /**
   * Applies new settings: a new engine or model loads beside the one answering, which keeps
   * answering until it is ready. Rejects, keeping the settings in use, when they could not be applied;
   * resolves false when a newer Apply superseded this one (the newest wins).
   */
  applySettings(settings: AppSettings): Promise<boolean>;
}
