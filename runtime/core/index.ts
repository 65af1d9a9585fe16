// The one public entry of the shared core: the appliance and the PWA import from here only.
export { NexusError, isNexusError, toNexusError, type NexusErrorJSON, type ErrorDetails } from './nexus-error.js';
export { errorMessages, type ErrorCode } from './error-codes.js';

export type { Platform } from './platform/platform.js';
export type { ModelSource } from './platform/model-source.js';
export { systemClock, type Clock } from './platform/clock.js';
export { silentLogger, type Logger, type LogLevel } from './platform/logger.js';
export type { OrtEngine, OrtModule } from './platform/ort-engine.js';
export { warmUpEngine } from './platform/warm-up-engine.js';
export type { CheckpointStore, StoredCheckpoint } from './platform/checkpoint-store.js';

export { TextTokenizer } from './tokenizer/text-tokenizer.js';
export { IncrementalDecoder } from './tokenizer/incremental-decoder.js';
export type { ChatMessage, ChatRole } from './tokenizer/chat-message.js';

export { parseModelConfig, type ModelConfig, type ModelFamily } from './model/model-config.js';
export { modelDtypes, isModelDtype, onnxFilesByDtype, type ModelDtype } from './model/model-dtype.js';
export { loadLanguageModel, resolveModelFile, type LanguageModel, type LoadModelOptions } from './model/language-model.js';
export { CausalLM } from './model/causal-lm.js';
export { DecoderSequence } from './model/decoder-sequence.js';

export { generate } from './generation/generate.js';
export { buildPrompt, type BuiltPrompt, type PromptBudget } from './generation/prompt-builder.js';
export { TokenSampler } from './generation/token-sampler.js';
export { validateSamplingOptions, type SamplingOptions } from './generation/sampling-options.js';
export { summarizeLogits, tokenStats, type TokenStats, type LogitSummary } from './generation/token-stats.js';
export type { GenerateRequest, GenerationEvent, GenerationResult, GenerationTimings, TokenEvent, DoneEvent, FinishReason } from './generation/generation-types.js';

export { defaultGateSettings, type GateSettings, type ConfidenceScoreKind } from './gate/gate-settings.js';
export { confidenceScore } from './gate/confidence-score.js';
export { GateWatch, type GateVerdict } from './gate/gate-watch.js';
export { GateCalibration, type CalibrationReport, type GateCalibrationSection } from './gate/gate-calibration.js';
export { calibrateGate, type LabelledQuestions } from './gate/calibrate-gate.js';
export { measureConfidence } from './gate/measure-confidence.js';
export { auroc } from './gate/auroc.js';

export { LearnerMemory, type LearnerEntry, type LearnerSource, type LearnerMemorySection } from './learner/learner-memory.js';
export { normalizeQuestion } from './learner/normalize-question.js';
export { TeacherClient, type TeacherClientOptions, type TeacherAnswer } from './teacher/teacher-client.js';
export { CircuitBreaker, type CircuitState, type CircuitBreakerOptions, type CircuitBreakerSnapshot, type CircuitStateChange } from './resilience/circuit-breaker.js';

export { encodeCheckpoint, decodeCheckpoint, type DecodeCheckpointOptions } from './checkpoint/checkpoint-codec.js';
export { loadNewestCheckpoint, type LoadedCheckpoint, type SkippedCheckpoint } from './checkpoint/load-newest-checkpoint.js';
export { CHECKPOINT_FORMAT_VERSION, type Checkpoint, type CheckpointHeader, type DecodedCheckpoint, type JsonValue } from './checkpoint/checkpoint-types.js';
export { sha256Hex } from './checkpoint/sha256.js';

export { Assistant, type AssistantOptions } from './assistant/assistant.js';
export { LifecycleCounters, type CounterName, type LifecycleSection } from './assistant/lifecycle-counters.js';
export { checkAssistantSections, encodeAssistantCheckpoint, restoreAssistantState, type RestoreOptions, type RestoreReport, type SnapshotOptions } from './assistant/assistant-checkpoint.js';
export { abstentionText } from './assistant/abstention-text.js';
export type { Answer, AnswerDecision, AnswerSource, AnswerUsage, AskEvent, AskRequest } from './assistant/answer.js';

export { parseWordEvalSet, definitionQuestion, expectedDefinition, type WordEntry } from './eval/word-eval-set.js';
export { parseModelRegistry, filesForDtype, gateSettingsFor, type RegistryEntry, type RegistryFile } from './registry/model-registry.js';
export { modelFileUrl, defaultModelMirror } from './registry/model-file-url.js';
