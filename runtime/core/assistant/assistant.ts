// Assistant: answers a question from memory, from the model behind the uncertainty gate, or from the teacher.
import { NexusError, toNexusError } from '../nexus-error.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { silentLogger, type Logger } from '../platform/logger.js';
import type { LanguageModel } from '../model/language-model.js';
import { generate } from '../generation/generate.js';
import { buildPrompt, type BuiltPrompt } from '../generation/prompt-builder.js';
import type { GenerationResult, GenerationTimings } from '../generation/generation-types.js';
import { GateCalibration } from '../gate/gate-calibration.js';
import { GateWatch } from '../gate/gate-watch.js';
import { LearnerMemory } from '../learner/learner-memory.js';
import type { TeacherClient } from '../teacher/teacher-client.js';
import type { ChatMessage } from '../tokenizer/chat-message.js';
import { LifecycleCounters } from './lifecycle-counters.js';
import type { Answer, AskEvent, AskRequest } from './answer.js';
import { abstentionText } from './abstention-text.js';

export interface AssistantOptions {
  model: LanguageModel;
  calibration?: GateCalibration;
  memory?: LearnerMemory;
  teacher?: TeacherClient;
  counters?: LifecycleCounters;
  clock?: Clock;
  logger?: Logger;
  /** Default answer length when a request does not say (tokens). */
  defaultMaxTokens?: number;
}

const zeroTimings: GenerationTimings = { prefillMs: 0, ttftMs: 0, decodeMs: 0, totalMs: 0, prefillTokensPerSecond: 0, decodeTokensPerSecond: 0 };

function messagesOf(request: AskRequest): ChatMessage[] {
  if (request.messages && request.messages.length > 0) return request.messages;
  if (request.prompt !== undefined) return [{ role: 'user', content: request.prompt }];
  throw new NexusError('EMPTY_PROMPT');
}

function lastUserQuestion(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content;
  return '';
}

/** The shared brain of the appliance and the PWA; one instance per loaded model. */
export class Assistant {
  model: LanguageModel;
  calibration: GateCalibration;
  readonly memory: LearnerMemory;
  teacher: TeacherClient | undefined;
  readonly counters: LifecycleCounters;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly defaultMaxTokens: number;

  constructor(options: AssistantOptions) {
    this.model = options.model;
    this.calibration = options.calibration ?? GateCalibration.from();
    this.memory = options.memory ?? new LearnerMemory();
    this.teacher = options.teacher;
    this.counters = options.counters ?? new LifecycleCounters();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.defaultMaxTokens = options.defaultMaxTokens ?? 128;
  }

  /** Streams an answer: `delta` events with text that may be shown, then one `done` with the Answer. */
  async *ask(request: AskRequest): AsyncGenerator<AskEvent> {
    const started = this.clock.monotonic();
    const messages = messagesOf(request);
    const question = lastUserQuestion(messages);
    if (messages.every((message) => message.content.trim() === '')) throw new NexusError('EMPTY_PROMPT');
    this.counters.add('requests');

    const remembered = request.memory === false ? undefined : this.memory.lookup(question);
    if (remembered) {
      request.onStart?.();
      this.counters.add('fromMemory');
      this.counters.add('answered');
      yield { type: 'delta', text: remembered.answer };
      yield { type: 'done', answer: this.fixedAnswer(remembered.answer, 'memory', 1, started) };
      return;
    }

    const maxTokens = request.maxTokens ?? this.defaultMaxTokens;
    const prompt = buildPrompt(this.model.tokenizer, messages, { contextLength: this.model.contextLength, reserveForAnswer: maxTokens });
    request.onStart?.();
    const gateOn = request.gate !== false;
    const watch = new GateWatch(this.calibration.settings);
    let held = '';
    let decision: 'pending' | 'answered' | 'abstained' | 'stopped' = gateOn ? 'pending' : 'answered';
    let result: GenerationResult | undefined;
    let streamed = '';

    try {
      for await (const event of generate(this.model, { promptIds: prompt.ids, maxTokens, sampling: request.sampling, stop: request.stop, signal: request.signal, betweenSteps: request.betweenSteps }, this.clock)) {
        if (event.type === 'done') {
          result = event.result;
          break;
        }
        const verdict = watch.observe(event.logProbability, event.isEos);
        if (decision === 'pending') {
          held += event.text;
          if (verdict === 'abstain') {
            decision = 'abstained';
            break;
          }
          if (verdict === 'answer') {
            decision = 'answered';
            if (held) yield { type: 'delta', text: held };
            streamed += held;
          }
          continue;
        }
        if (gateOn && verdict === 'stop' && !event.isEos) {
          decision = 'stopped';
          break;
        }
        if (event.text) {
          streamed += event.text;
          yield { type: 'delta', text: event.text };
        }
      }
    } catch (error) {
      this.counters.add('errors');
      throw toNexusError(error, 'INFERENCE_FAILED');
    }

    // Stopped by the caller before the gate decided: nothing checked was shown, so nothing is.
    if (decision === 'pending' && result?.finishReason === 'aborted') decision = 'stopped';
    // The generation ended (EOS, length) before k tokens: decide on what was seen.
    if (decision === 'pending') {
      decision = watch.tokensSeen > 0 && watch.confidence >= this.calibration.settings.threshold ? 'answered' : 'abstained';
      if (decision === 'answered' && held) {
        streamed += held;
        yield { type: 'delta', text: held };
      }
    }

    const confidence = watch.confidence;
    if (decision === 'abstained') {
      yield* this.abstain(question, confidence, prompt, request, started);
      return;
    }
    this.counters.add(decision === 'stopped' ? 'stopped' : 'answered');
    const completionTokens = result?.completionTokens ?? watch.tokensSeen;
    this.counters.add('promptTokens', prompt.ids.length);
    this.counters.add('completionTokens', completionTokens);
    const answer: Answer = {
      text: streamed,
      confidence,
      decision,
      source: 'model',
      finishReason: result?.finishReason ?? (decision === 'stopped' ? 'stop' : 'length'),
      usage: { promptTokens: prompt.ids.length, completionTokens, totalTokens: prompt.ids.length + completionTokens },
      timings: result?.timings ?? { ...zeroTimings, totalMs: this.clock.monotonic() - started },
      truncated: prompt.truncated,
      droppedMessages: prompt.droppedMessages,
      droppedTokens: prompt.droppedTokens,
      seed: result?.seed,
    };
    this.logger.log('info', 'answer', { decision, source: 'model', confidence: round(confidence), tokens: completionTokens });
    yield { type: 'done', answer };
  }

  /** Runs ask() to the end and returns the Answer (for callers that do not stream). */
  async answer(request: AskRequest): Promise<Answer> {
    for await (const event of this.ask(request)) if (event.type === 'done') return event.answer;
    throw new NexusError('INTERNAL', { reason: 'ask() ended without an answer' });
  }

  /** Stores a correction: the next time this question is asked, the answer comes from memory. */
  teach(question: string, answer: string): void {
    this.memory.teach(question, answer, 'correction');
    this.counters.add('taught');
    this.logger.log('info', 'learner.taught', { source: 'correction', size: this.memory.size });
  }

  private async *abstain(question: string, confidence: number, prompt: BuiltPrompt, request: AskRequest, started: number): AsyncGenerator<AskEvent> {
    let teacherError: string | undefined;
    if (this.teacher && request.teacher !== false && !request.signal?.aborted) {
      try {
        const taught = await this.teacher.ask(question, request.signal);
        this.memory.teach(question, taught.answer, 'teacher');
        this.counters.add('fromTeacher');
        this.counters.add('answered');
        this.logger.log('info', 'answer', { decision: 'answered', source: 'teacher', modelConfidence: round(confidence) });
        yield { type: 'delta', text: taught.answer };
        yield { type: 'done', answer: { ...this.fixedAnswer(taught.answer, 'teacher', confidence, started), usage: { promptTokens: prompt.ids.length, completionTokens: 0, totalTokens: prompt.ids.length } } };
        return;
      } catch (error) {
        teacherError = toNexusError(error).message;
        this.logger.log('warn', 'teacher.failed', { reason: teacherError });
      }
    }
    this.counters.add('abstained');
    this.logger.log('info', 'answer', { decision: 'abstained', source: 'model', confidence: round(confidence) });
    const text = abstentionText(confidence);
    yield { type: 'delta', text };
    yield {
      type: 'done',
      answer: { ...this.fixedAnswer(text, 'model', confidence, started), decision: 'abstained', finishReason: 'abstained', usage: { promptTokens: prompt.ids.length, completionTokens: 0, totalTokens: prompt.ids.length }, truncated: prompt.truncated, droppedMessages: prompt.droppedMessages, droppedTokens: prompt.droppedTokens, teacherError },
    };
  }

  private fixedAnswer(text: string, source: 'memory' | 'teacher' | 'model', confidence: number, started: number): Answer {
    const totalMs = this.clock.monotonic() - started;
    return {
      text,
      confidence,
      decision: 'answered',
      source,
      finishReason: source === 'model' ? 'abstained' : source,
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      timings: { ...zeroTimings, ttftMs: totalMs, totalMs },
      truncated: false,
      droppedMessages: 0,
      droppedTokens: 0,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
