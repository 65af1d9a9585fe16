// Platform: the capabilities a runtime entry (Node main, PWA worker) hands to the core, chosen once.
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { OrtEngine } from './ort-engine.js';

/** What the core receives from its host; it never asks where it runs. */
export interface Platform {
  readonly name: string;
  readonly engine: OrtEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  /** fetch for what the user configured (teacher, mirror, appliance); the core fetches nothing else. */
  readonly fetch: typeof fetch;
}
