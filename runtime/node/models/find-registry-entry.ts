// findRegistryEntry: a registry entry by id, or an error listing the ids there are.
import { NexusError } from '../../core/nexus-error.js';
import type { RegistryEntry } from '../../core/registry/model-registry.js';

/** The entry with `id`; INVALID_OPTION naming the known ids otherwise. */
export function findRegistryEntry(registry: readonly RegistryEntry[], id: string): RegistryEntry {
  const entry = registry.find((candidate) => candidate.id === id);
  if (!entry) {
    throw new NexusError('INVALID_OPTION', { key: 'model', reason: `unknown model "${id}" (the registry has: ${registry.map((known) => known.id).join(', ')})` });
  }
  return entry;
}
