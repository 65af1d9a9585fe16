// createAssistant: loads a model (registry id or directory) and builds the core Assistant around it for Node.
import type { ModelDtype } from '../core/model/model-dtype.js';
import type { OrtEngine } from '../core/platform/ort-engine.js';
import type { Logger } from '../core/platform/logger.js';
import { Assistant } from '../core/assistant/assistant.js';
import { GateCalibration } from '../core/gate/gate-calibration.js';
import { gateSettingsFor } from '../core/registry/model-registry.js';
import { LearnerMemory } from '../core/learner/learner-memory.js';
import type { TeacherClient } from '../core/teacher/teacher-client.js';
import { loadModelDirectory } from './load-model-directory.js';
import { resolveModelDirectory, builtinModelsDirectory } from './resolve-model-directory.js';
import { selectEngine, type BackendChoice } from './select-engine.js';

export interface CreateAssistantOptions {
  /** Registry id or model directory (default: the built-in lexicon-tiny). */
  model?: string;
  modelsDirectory?: string;
  dtype?: ModelDtype;
  threads?: number;
  /** The engine to run on; else one is picked from `backend` (default wasm). */
  engine?: OrtEngine;
  backend?: BackendChoice;
  contextLength?: number;
  learnerCapacity?: number;
  teacher?: TeacherClient;
  logger?: Logger;
  defaultMaxTokens?: number;
}

/** An Assistant on the requested model, with the registry's calibrated gate for that dtype. */
export async function createAssistant(options: CreateAssistantOptions = {}): Promise<Assistant> {
  const resolved = await resolveModelDirectory(options.model ?? 'lexicon-tiny', options.modelsDirectory ?? builtinModelsDirectory);
  const dtype = options.dtype ?? 'q8';
  const engine = options.engine ?? (await selectEngine(options.backend ?? 'wasm', options.threads)).engine;
  const model = await loadModelDirectory(resolved.directory, { id: resolved.id, dtype, engine, threads: options.threads, contextLength: options.contextLength });
  const gate = gateSettingsFor(resolved.entry, dtype);
  return new Assistant({
    model,
    calibration: GateCalibration.from(gate.settings, gate.calibrated ? 'registry' : 'default'),
    memory: new LearnerMemory({ capacity: options.learnerCapacity }),
    teacher: options.teacher,
    logger: options.logger,
    defaultMaxTokens: options.defaultMaxTokens,
  });
}
