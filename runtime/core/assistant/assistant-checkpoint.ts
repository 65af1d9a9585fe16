// Assistant ↔ checkpoint: the assistant's learnable state as checkpoint sections, and back.
import { encodeCheckpoint } from '../checkpoint/checkpoint-codec.js';
import { CHECKPOINT_FORMAT_VERSION, type DecodedCheckpoint, type JsonValue } from '../checkpoint/checkpoint-types.js';
import { GateCalibration } from '../gate/gate-calibration.js';
import { LearnerMemory } from '../learner/learner-memory.js';
import type { Assistant } from './assistant.js';
import { LifecycleCounters } from './lifecycle-counters.js';

export interface SnapshotOptions {
  /** Writer and platform, e.g. `nexus-edge/0.1.0 node`. */
  producer: string;
  /** ISO time to stamp (defaults to now); fixed in tests to compare bytes across platforms. */
  createdAt?: string;
  /** Any JSON snapshot of the host's metrics. */
  metrics?: JsonValue;
}

/** Encodes the assistant's counters, gate calibration and learned memory into one checkpoint blob. */
export function encodeAssistantCheckpoint(assistant: Assistant, options: SnapshotOptions): Promise<Uint8Array> {
  return encodeCheckpoint({
    header: {
      formatVersion: CHECKPOINT_FORMAT_VERSION,
      createdAt: options.createdAt ?? new Date().toISOString(),
      producer: options.producer,
      modelId: assistant.model.id,
      modelSha256: assistant.model.modelSha256,
    },
    sections: {
      lifecycle: assistant.counters.toSection(),
      gate: assistant.calibration.toSection() as unknown as JsonValue,
      memory: assistant.memory.toSection() as unknown as JsonValue,
      metrics: options.metrics ?? {},
    },
  });
}

/** What restoring applied, and what it left out (another model's gate calibration, for instance). */
export interface RestoreReport {
  restored: string[];
  dropped: string[];
  modelMismatch: boolean;
}

export interface RestoreOptions {
  /** `replace` (a restore: the checkpoint's memory only) or `merge` (a sync: this memory's entries the checkpoint lacks are kept). */
  memory?: 'replace' | 'merge';
}

/** The assistant sections of a checkpoint, parsed; a section the checkpoint lacks is undefined. */
interface AssistantSections {
  memory?: LearnerMemory;
  calibration?: GateCalibration;
  counters?: LifecycleCounters;
}

/** Parses every assistant section; throws CHECKPOINT_CORRUPT naming the first bad one. */
function readAssistantSections({ sections }: DecodedCheckpoint, memoryCapacity?: number): AssistantSections {
  return {
    memory: sections.memory === undefined ? undefined : LearnerMemory.fromSection(sections.memory, memoryCapacity === undefined ? {} : { capacity: memoryCapacity }),
    calibration: sections.gate === undefined ? undefined : GateCalibration.fromSection(sections.gate),
    counters: sections.lifecycle === undefined ? undefined : LifecycleCounters.fromSection(sections.lifecycle),
  };
}

/**
 * Checks that an assistant could restore this checkpoint (its memory, gate and counters sections
 * parse), without restoring it: a checkpoint whose framing and hash are whole but whose content is
 * not is refused where it is verified, stored or chosen at start. Throws CHECKPOINT_CORRUPT.
 */
export function checkAssistantSections(checkpoint: DecodedCheckpoint): void {
  readAssistantSections(checkpoint);
}

/**
 * Applies a decoded checkpoint. Each section is validated before anything changes, so a bad
 * section leaves the assistant as it was (CHECKPOINT_CORRUPT naming it).
 */
export function restoreAssistantState(assistant: Assistant, checkpoint: DecodedCheckpoint, options: RestoreOptions = {}): RestoreReport {
  const { memory, calibration, counters } = readAssistantSections(checkpoint, assistant.memory.capacity);
  const restored: string[] = [];
  if (memory) {
    if (options.memory === 'merge') assistant.memory.mergeFrom(memory);
    else assistant.memory.replaceWith(memory);
    restored.push('memory');
  }
  if (calibration) {
    // An operator's overrides belong to this assistant, not to the restored calibration: they stay.
    calibration.setOverrides(assistant.calibration.overrides);
    assistant.calibration = calibration;
    restored.push('gate');
  }
  if (counters) {
    assistant.counters.replaceWith(counters);
    restored.push('lifecycle');
  }
  return { restored, dropped: checkpoint.droppedSections, modelMismatch: checkpoint.modelMismatch };
}
