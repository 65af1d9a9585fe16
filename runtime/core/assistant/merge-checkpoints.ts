// mergeCheckpoints: a stored checkpoint with an imported one added to it, without loading the model.
import type { Checkpoint, DecodedCheckpoint, JsonValue } from '../checkpoint/checkpoint-types.js';
import { LearnerMemory } from '../learner/learner-memory.js';

/**
 * What an assistant restored from `base` holds after importing `incoming` (restoreAssistantState
 * with memory 'merge'), as a checkpoint to write: base's memory with incoming's entries added (for a
 * question both hold, the answer taught last wins), and incoming's other sections (gate calibration,
 * counters) where it has them. `incoming` must be decoded against base's model, so that another
 * model's gate calibration was dropped and base's stays. The header is base's, stamped now.
 */
export function mergeCheckpoints(base: DecodedCheckpoint, incoming: DecodedCheckpoint, producer: string): Checkpoint {
  const sections: Record<string, JsonValue> = { ...base.sections, ...incoming.sections };
  if (base.sections.memory !== undefined && incoming.sections.memory !== undefined) {
    const memory = LearnerMemory.fromSection(base.sections.memory);
    memory.mergeFrom(LearnerMemory.fromSection(incoming.sections.memory));
    sections.memory = memory.toSection() as unknown as JsonValue;
  }
  return { header: { ...base.header, createdAt: new Date().toISOString(), producer }, sections };
}
