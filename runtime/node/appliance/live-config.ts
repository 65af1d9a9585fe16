// diffLiveConfig: which changed settings a running appliance applies (SIGHUP, reload-config) and which need a restart.
import type { NexusConfig } from '../../../edge-config/config-schema.js';

/** Top-level keys a running appliance applies without restarting. */
export const liveConfigKeys = ['gate', 'rateLimit', 'generation', 'logs', 'teacher', 'queue', 'budgets', 'memory', 'checkpoint', 'cors', 'auth'] as const;

/** The changed top-level keys, split into applied live and needing a restart. */
export interface ConfigDiff {
  applied: string[];
  needsRestart: string[];
}

/** Compares two configs key by key (JSON equality). */
export function diffLiveConfig(before: NexusConfig, after: NexusConfig): ConfigDiff {
  const diff: ConfigDiff = { applied: [], needsRestart: [] };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof NexusConfig>;
  for (const key of keys) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    if ((liveConfigKeys as readonly string[]).includes(key)) diff.applied.push(key);
    else diff.needsRestart.push(key);
  }
  return diff;
}
