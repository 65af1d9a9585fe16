// The typed messages between the UI thread and the inference worker; errors travel as NexusError JSON.
import type { AnswerDecision, AnswerSource, NexusErrorJSON } from '../../../runtime/core/index.js';

/** Engine candidates, in preference order; `auto` lets the worker choose by probe. */
export type EngineChoice = 'auto' | 'webgpu' | 'wasm-threaded' | 'wasm-single';

/** The engine that runs, and why the others did not. */
export interface EngineReport {
  chosen: Exclude<EngineChoice, 'auto'>;
  threads: number;
  /** Candidate → why it was not used. */
  rejected: Record<string, string>;
  /** Decode tokens/s measured by the probe, per candidate tried. */
  probe?: Record<string, number>;
}

/** What the UI shows of an answer. */
export interface AnswerView {
  text: string;
  confidence: number;
  decision: AnswerDecision;
  source: AnswerSource;
  tokensPerSecond: number;
  /** The user stopped it: the text is cut off (empty when stopped before the gate had decided). */
  stopped: boolean;
}

/** Which registry model to run, and where to pull it from when it is not built in. */
export interface ModelChoice {
  /** Registry id, e.g. `lexicon-tiny` or `smollm2-135m-instruct`. */
  model: string;
  dtype: 'q8' | 'q4';
  /** Base URL serving the Hugging Face layout `…/{repo}/resolve/{revision}/{path}` (for models not built in). */
  mirror?: string;
}

/** The appliance asked when the on-device gate abstains (its `/v1`), and the API key it wants. */
export interface TeacherTarget {
  url: string;
  key?: string;
}

/** Requests from the UI; each carries an id its reply echoes. */
export type WorkerRequest =
  | { type: 'init'; id: number; appUrl: string; engine: EngineChoice; teacher?: TeacherTarget; model: ModelChoice }
  | { type: 'configure'; id: number; teacher?: TeacherTarget }
  | { type: 'ask'; id: number; prompt: string }
  | { type: 'stop'; id: number; askId: number }
  | { type: 'teach'; id: number; question: string; answer: string }
  | { type: 'export'; id: number }
  | { type: 'import'; id: number; bytes: Uint8Array };

/** Replies and events from the worker. */
export type WorkerEvent =
  | { type: 'progress'; file: string; loaded: number; total: number }
  | { type: 'ready'; id: number; engine: EngineReport; model: string; memorySize: number }
  /** After `ready` when there was nothing to probe: the engine's warm-up answer's decode speed. */
  | { type: 'measured'; tokensPerSecond: number }
  /**
   * The engine report changed under a loaded model: `probed`, the candidates measured after `ready`
   * (the engine may have changed to a faster one); `gpu-lost`, WASM took over from a lost WebGPU device.
   */
  | { type: 'engine'; engine: EngineReport; model: string; cause: 'probed' | 'gpu-lost' }
  /** `restart`: the answer started over (its engine was replaced mid-answer); this text replaces the text so far. */
  | { type: 'delta'; id: number; text: string; restart?: true }
  | { type: 'done'; id: number; answer: AnswerView }
  | { type: 'result'; id: number; bytes?: Uint8Array; memorySize?: number }
  | { type: 'error'; id: number; error: NexusErrorJSON };
