// Daemon: owns the assistant and everything around a generation (queue, breaker, governor, checkpoints, events).
import { join } from 'node:path';
import type { NexusConfig } from '../../../edge-config/config-schema.js';
import type { Assistant } from '../../core/assistant/assistant.js';
import type { Answer, AskRequest } from '../../core/assistant/answer.js';
import { EventLoopYielder } from '../../core/generation/event-loop-yielder.js';
import { NexusError, isNexusError, toNexusError } from '../../core/nexus-error.js';
import { CircuitBreaker, isCountedFailure, type CircuitBreakerOptions } from '../../core/resilience/circuit-breaker.js';
import type { OrtEngine } from '../../core/platform/ort-engine.js';
import { createAssistant } from '../create-assistant.js';
import { selectEngine } from '../select-engine.js';
import { resolveModelDirectory } from '../resolve-model-directory.js';
import type { ApplianceLogger } from './appliance-logger.js';
import { ApplianceMetrics } from './appliance-metrics.js';
import { applianceStatus, type ApplianceStatus } from './appliance-status.js';
import { CheckpointKeeper } from './checkpoint-keeper.js';
import { EventBus } from './event-bus.js';
import { assessHealth, type HealthReport } from './health.js';
import { diffLiveConfig, type ConfigDiff } from './live-config.js';
import { MemoryMonitor } from './memory-monitor.js';
import { ModelFileGuard } from './model-file-guard.js';
import { ModelRetirement } from './model-retirement.js';
import { modelsDirectoryOf } from './models-directory.js';
import { recalibrateGate, type GateRecalibration } from './recalibrate-gate.js';
import { RequestQueue } from './request-queue.js';
import { RequestStats } from './request-stats.js';
import { ResourceGovernor } from './resource-governor.js';
import { scavengeWhenIdle } from './scavenge-when-idle.js';
import { teacherFromConfig } from './teacher-from-config.js';

/** The appliance's lifecycle state. */
export type DaemonState = 'loading' | 'serving' | 'paused' | 'stopping';

/** Callbacks of Daemon.generate(). */
export interface GenerateHooks {
  onDelta?: (text: string) => void;
  /** The request holds a slot and its answer is under way (see AskRequest.onStart): refusals come before it. */
  onStarted?: () => void;
}

const HEARTBEAT_MS = 15_000;

/** Errors that are the request's own (the prompt or an option), not the appliance's. */
const requestMistakes: ReadonlySet<string> = new Set(['EMPTY_PROMPT', 'PROMPT_TOO_LONG', 'CHAT_TEMPLATE_MISSING', 'INVALID_OPTION']);

function isRequestMistake(error: unknown): boolean {
  return isNexusError(error) && requestMistakes.has(error.code);
}

/** Tuning of the inference breaker (tests shorten the cool-down). */
export type InferenceBreakerOptions = Pick<CircuitBreakerOptions, 'failureThreshold' | 'coolDownMs'>;

/**
 * The long-lived service behind both HTTP APIs. `generate()` is the one way to run the model:
 * admission (state, memory budget), a queue slot, the circuit breaker, metrics and events.
 * Longer than our usual file: the lifecycle (load, pause, save, reload, stop) shares that state,
 * so it stays in one class; status and recalibration live in their own files.
 */
export class Daemon {
  state: DaemonState = 'loading';
  config: NexusConfig;
  assistant: Assistant | undefined;
  readonly logger: ApplianceLogger;
  readonly events = new EventBus();
  readonly queue: RequestQueue;
  readonly breaker: CircuitBreaker;
  readonly governor: ResourceGovernor;
  readonly memoryMonitor: MemoryMonitor;
  readonly stats = new RequestStats();
  readonly checkpoints: CheckpointKeeper;
  readonly metrics: ApplianceMetrics;
  readonly startedAt = Date.now();
  private readonly inFlight = new Set<AbortController>();
  private readonly retirement = new ModelRetirement((error) => this.logger.log('warn', 'model.release_failed', { error: toNexusError(error).message }));
  private readonly timers: NodeJS.Timeout[] = [];
  private checkpointTimer: NodeJS.Timeout | undefined;
  private memoryTimer: NodeJS.Timeout | undefined;
  private modelGuard: ModelFileGuard | undefined;
  /** Picked from `backend` at the first load and kept: a model switch runs on the same engine. */
  private engine: OrtEngine | undefined;
  private lastBusyAt = performance.now();

  constructor(config: NexusConfig, logger: ApplianceLogger, breakerOptions: InferenceBreakerOptions = {}) {
    this.config = config;
    this.logger = logger;
    this.queue = new RequestQueue(config.queue);
    // A request the model cannot take says nothing about the model's health: it never opens the breaker.
    this.breaker = new CircuitBreaker({ name: 'inference', logger, isFailure: (error) => isCountedFailure(error) && !isRequestMistake(error), ...breakerOptions });
    this.breaker.onStateChange((change) => {
      this.logger.log('warn', 'breaker.state', { ...change });
      this.events.publish('state', { breaker: change.to });
    });
    this.governor = new ResourceGovernor(config.budgets);
    this.memoryMonitor = new MemoryMonitor({ thresholdMbPerHour: config.memory.leakThresholdMbPerHour });
    this.checkpoints = new CheckpointKeeper(join(config.dataDir, 'checkpoints'), config.checkpoint.keep, logger);
    this.metrics = new ApplianceMetrics({
      queueDepth: () => this.queue.depth,
      queueActive: () => this.queue.active,
      breakerState: () => this.breaker.state,
      rssBytes: () => process.memoryUsage.rss(),
      // Never saved: the state is as old as the process.
      checkpointAgeSeconds: () => this.checkpoints.status().ageSeconds ?? (Date.now() - this.startedAt) / 1000,
      leakSlopeMbPerHour: () => this.memoryMonitor.report().slopeMbPerHour,
      cpuPercent: () => this.governor.measureCpu(),
    });
  }

  /** Loads the model (unless one is given), restores the newest checkpoint, starts the timers, serves. */
  async load(assistant?: Assistant): Promise<void> {
    const started = performance.now();
    this.assistant = assistant ?? (await this.createAssistant(this.config.model, this.config.dtype));
    this.applyGateConfig();
    this.assistant.teacher = teacherFromConfig(this.config.teacher, this.logger);
    this.modelGuard = await this.guardOf(this.config.model, this.assistant);
    await this.checkpoints.restoreNewest(this.assistant);
    const { id, dtype, fusedAttention, lastPositionLogits, requantizedWeights, kernelLmHead } = this.assistant.model;
    this.logger.log('info', 'model.loaded', { model: id, dtype, ms: Math.round(performance.now() - started), ...(fusedAttention && { fusedAttention }), ...(lastPositionLogits && { lastPositionLogits }), ...(requantizedWeights && { requantizedWeights }), ...(kernelLmHead && { kernelLmHead }) });
    this.startTimers();
    this.setState('serving');
  }

  /** The loaded assistant; NOT_READY while loading. */
  ready(): Assistant {
    if (!this.assistant) throw new NexusError('NOT_READY');
    return this.assistant;
  }

  /**
   * Runs one request to its answer, calling `hooks.onStarted` once it holds a generation slot and
   * its prompt was accepted, and `hooks.onDelta` with streamable text. Throws SHUTTING_DOWN, PAUSED, NOT_READY, OVER_BUDGET,
   * QUEUE_FULL, CIRCUIT_OPEN, ABORTED, or the inference error.
   */
  async generate(request: AskRequest, hooks: GenerateHooks = {}): Promise<Answer> {
    const { onDelta, onStarted } = hooks;
    const started = performance.now();
    try {
      this.admit();
      this.governor.admit();
    } catch (error) {
      if (isNexusError(error, 'OVER_BUDGET')) this.metrics.governorRefusals.inc();
      this.stats.record('refused');
      throw error;
    }
    const controller = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    this.inFlight.add(controller);
    // Queue wait and generation together: a request stuck behind slow ones ends with a clear error.
    const timeoutMs = this.config.queue.requestTimeoutMs;
    const deadline = setTimeout(() => controller.abort(new NexusError('REQUEST_TIMEOUT', { timeoutMs })), timeoutMs);
    let release: (() => void) | undefined;
    let doneWithModel: (() => void) | undefined;
    try {
      try {
        release = await this.queue.acquire(signal);
      } catch (error) {
        if (isNexusError(error, 'QUEUE_FULL')) this.stats.record('refused');
        throw error;
      }
      this.admit();
      const assistant = this.ready();
      doneWithModel = this.retirement.use(assistant.model);
      this.events.publish('request', { prompt: questionOf(request).slice(0, 200) });
      let firstToken = true;
      const turns = new EventLoopYielder(() => performance.now(), { turnIntervalMs: deltaTurnIntervalMs, firstCallTurns: true });
      const answer = await this.breaker.run(async () => {
        await this.modelGuard?.check();
        // Started only once the breaker let it through, the model is there and the prompt fits: an open
        // breaker, a missing model file or a too-long prompt stays a plain HTTP error for streaming
        // clients, not an SSE error after a 200.
        for await (const event of assistant.ask({ ...this.withDefaults(request), signal, betweenSteps: () => this.throttleStep(), onStart: onStarted })) {
          if (event.type === 'done') return event.answer;
          const ttftSeconds = firstToken ? (performance.now() - started) / 1000 : 0;
          onDelta?.(event.text);
          // WASM steps resolve in microtasks: without a macrotask turn, nothing written to the socket
          // leaves it (Node uncorks it on the next tick) and no disconnect is seen until the answer
          // is done. A turn right after the first text, then at most one every deltaTurnIntervalMs:
          // a turn after every token cost 26 µs of a 0.65 ms native step and 37 µs of WASM's.
          await turns.maybeYield();
          // Observed once the first text is on its way: the summary's digests are not in its time.
          if (firstToken) this.metrics.ttft.observe(ttftSeconds);
          firstToken = false;
        }
        throw new NexusError('INTERNAL', { reason: 'ask() ended without an answer' });
      });
      // The core ends an aborted generation with a short answer; the client is gone, so it is a cancellation.
      if (signal.aborted) throw new NexusError('ABORTED');
      if (answer.source === 'model' && answer.timings.decodeTokensPerSecond > 0) this.metrics.tokensPerSecond.observe(answer.timings.decodeTokensPerSecond);
      this.metrics.gateDecisions.inc({ decision: answer.decision, source: answer.source });
      this.stats.record('ok', performance.now() - started);
      this.events.publish('answer', { decision: answer.decision, confidence: answer.confidence, source: answer.source, tokens: answer.usage.completionTokens, ms: Math.round(performance.now() - started) });
      return answer;
    } catch (error) {
      const nexus = toNexusError(error, 'INFERENCE_FAILED');
      const timedOut = isNexusError(signal.reason, 'REQUEST_TIMEOUT');
      // The request's own mistake: not a refusal of work (those measure overload) nor a failure, so not in health.
      if (!timedOut && isRequestMistake(nexus)) {
        this.logger.log('info', 'generation.refused', { code: nexus.code, reason: nexus.message });
      } else if (timedOut || !['QUEUE_FULL', 'ABORTED', 'CIRCUIT_OPEN', 'SHUTTING_DOWN', 'PAUSED'].includes(nexus.code)) {
        this.stats.record('error', performance.now() - started);
        const failure = timedOut ? (signal.reason as NexusError) : nexus;
        this.logger.log('error', 'generation.failed', { code: failure.code, reason: failure.message });
        this.events.publish('error', { code: failure.code });
      }
      // Clients see the breaker's state beside an inference failure, so they know whether retrying helps.
      if (nexus.code === 'INFERENCE_FAILED' && !signal.aborted) throw new NexusError('INFERENCE_FAILED', { ...nexus.details, breaker: this.breaker.state }, { cause: error });
      if (signal.aborted) {
        this.logger.log('info', 'generation.aborted', { reason: isNexusError(signal.reason) ? signal.reason.code : 'client' });
        throw isNexusError(signal.reason) ? signal.reason : new NexusError('ABORTED');
      }
      throw nexus;
    } finally {
      clearTimeout(deadline);
      this.inFlight.delete(controller);
      doneWithModel?.();
      release?.();
      if (this.inFlight.size === 0) {
        this.lastBusyAt = performance.now();
        scavengeWhenIdle(() => this.inFlight.size === 0);
      }
    }
  }

  /** The governor's pause between decode steps, counted in the metrics. */
  private async throttleStep(): Promise<void> {
    const before = this.governor.counters.throttles;
    await this.governor.throttle();
    if (this.governor.counters.throttles > before) this.metrics.governorThrottles.inc();
  }

  /**
   * Idle budget: checked on the memory timer only when nothing ran for a whole interval, so the
   * CPU share measured is background work alone. Over it: logged once per episode, health degrades.
   */
  private checkIdleBudget(): void {
    const intervalMs = this.config.memory.sampleIntervalSeconds * 1000;
    if (this.inFlight.size > 0 || performance.now() - this.lastBusyAt < intervalMs) return;
    const wasOver = this.governor.idleOverrun !== null;
    const overrun = this.governor.checkIdle();
    if (overrun && !wasOver) this.logger.log('warn', 'governor.idle_over_budget', { reasons: overrun.reasons });
  }

  pause(): void {
    if (this.state === 'serving') this.setState('paused');
  }

  resume(): void {
    if (this.state === 'paused') this.setState('serving');
  }

  /** Saves a checkpoint of the current state now. */
  async save(reason = 'manual'): Promise<{ id: string; sizeBytes: number }> {
    const stored = await this.checkpoints.save(this.ready(), reason).catch((error: unknown) => {
      this.metrics.checkpointSaves.inc({ result: 'failed' });
      throw error;
    });
    this.metrics.checkpointSaves.inc({ result: 'saved' });
    this.events.publish('checkpoint', { id: stored.id, sizeBytes: stored.sizeBytes, reason });
    return stored;
  }

  /** Applies what can change live from `next`; reports the rest as needing a restart. */
  applyConfig(next: NexusConfig): ConfigDiff {
    const diff = diffLiveConfig(this.config, next);
    this.config = { ...next, ...Object.fromEntries(diff.needsRestart.map((key) => [key, this.config[key as keyof NexusConfig]])) } as NexusConfig;
    this.logger.level = this.config.logs.level;
    Object.assign(this.queue, { size: this.config.queue.size, concurrency: this.config.queue.concurrency, retryAfterSeconds: this.config.queue.retryAfterSeconds });
    this.governor.budgets = this.config.budgets;
    this.memoryMonitor.thresholdMbPerHour = this.config.memory.leakThresholdMbPerHour;
    if (this.assistant) {
      this.applyGateConfig();
      if (diff.applied.includes('teacher')) this.assistant.teacher = teacherFromConfig(this.config.teacher, this.logger);
    }
    if (this.state !== 'loading' && this.state !== 'stopping') this.startTimers();
    this.logger.log('info', 'config.reloaded', { applied: diff.applied });
    if (diff.needsRestart.length) this.logger.log('warn', 'config.needs_restart', { keys: diff.needsRestart });
    return diff;
  }

  /** Re-derives the gate threshold from the model's eval sets when present, else from feedback. */
  recalibrate(): Promise<GateRecalibration> {
    return recalibrateGate(this);
  }

  /** Loads another model, then swaps it in (memory and counters carry over) without a restart. */
  async useModel(model: string, dtype: NexusConfig['dtype']): Promise<{ model: string; dtype: string }> {
    const current = this.ready();
    const next = await this.createAssistant(model, dtype);
    const guard = await this.guardOf(model, next);
    const release = await this.queue.acquire();
    const replaced = current.model;
    try {
      current.model = next.model;
      this.modelGuard = guard;
      current.calibration = next.calibration;
      this.config = { ...this.config, model, dtype };
      this.applyGateConfig();
    } finally {
      release();
    }
    this.retirement.retire(replaced);
    this.logger.log('info', 'model.swapped', { model: current.model.id, dtype });
    this.events.publish('state', { model: current.model.id, dtype });
    return { model: current.model.id, dtype };
  }

  health(): HealthReport & { state: DaemonState } {
    if (this.state === 'loading') return { status: 'unhealthy', reasons: ['model is loading'], state: this.state };
    const report = assessHealth({ breaker: this.breaker.state, leaking: this.memoryMonitor.report().leaking, stats: this.stats.snapshot(), lastCheckpointError: this.checkpoints.status().lastError, checkpointRestoreError: this.checkpoints.status().restoreError, idleOverrun: this.inFlight.size === 0 ? (this.governor.idleOverrun?.reasons ?? []) : [] });
    return { ...report, state: this.state };
  }

  /** The JSON of GET /api/status. */
  status(): ApplianceStatus {
    return applianceStatus(this);
  }

  /**
   * Stops accepting work, lets in-flight generations finish until `deadlineMs`, then aborts them,
   * and saves a final checkpoint.
   */
  async stop(deadlineMs: number, reason = 'shutdown'): Promise<void> {
    if (this.state === 'stopping') return;
    const wasLoaded = this.assistant !== undefined;
    this.setState('stopping');
    this.stopTimers();
    this.queue.rejectWaiting(new NexusError('SHUTTING_DOWN'));
    const deadline = Date.now() + deadlineMs;
    while (this.queue.active > 0 && Date.now() < deadline) await sleep(25);
    if (this.queue.active > 0) {
      this.logger.log('warn', 'shutdown.cancelling', { inFlight: this.inFlight.size });
      for (const controller of this.inFlight) controller.abort(new NexusError('SHUTTING_DOWN'));
      const grace = Date.now() + 2000;
      while (this.queue.active > 0 && Date.now() < grace) await sleep(10);
    }
    if (wasLoaded) await this.save(reason).catch(() => undefined);
  }

  private admit(): void {
    if (this.state === 'stopping') throw new NexusError('SHUTTING_DOWN');
    if (this.state === 'paused') throw new NexusError('PAUSED');
    if (this.state === 'loading') throw new NexusError('NOT_READY');
  }

  private withDefaults(request: AskRequest): AskRequest {
    const g = this.config.generation;
    return {
      ...request,
      maxTokens: request.maxTokens ?? g.maxTokens,
      sampling: { temperature: g.temperature, topK: g.topK, topP: g.topP, repetitionPenalty: g.repetitionPenalty, seed: g.seed, ...stripUndefined(request.sampling ?? {}) },
      gate: request.gate ?? this.config.gate.enabled,
    };
  }

  /** Puts the config's gate overrides (threshold, k, collapseThreshold) over the calibrated settings; a restored checkpoint keeps them, and none is saved. */
  private applyGateConfig(): void {
    const { threshold, k, collapseThreshold } = this.config.gate;
    this.assistant?.calibration.setOverrides({ threshold, k, collapseThreshold });
  }

  /** A guard over the model file `assistant` was loaded from; none when the file cannot be located. */
  private async guardOf(model: string, assistant: Assistant): Promise<ModelFileGuard | undefined> {
    try {
      const { directory } = await resolveModelDirectory(model, modelsDirectoryOf(this.config));
      const guard = new ModelFileGuard(join(directory, assistant.model.modelFile), assistant.model.modelSha256);
      await guard.check();
      return guard;
    } catch (error) {
      this.logger.log('warn', 'model.guard_unavailable', { model, reason: toNexusError(error).message });
      return undefined;
    }
  }

  private async createAssistant(model: string, dtype: NexusConfig['dtype']): Promise<Assistant> {
    this.engine ??= await this.selectEngine();
    return createAssistant({ model, dtype, engine: this.engine, modelsDirectory: modelsDirectoryOf(this.config), threads: this.config.threads, contextLength: this.config.contextLength, learnerCapacity: this.config.learner.capacity, logger: this.logger, defaultMaxTokens: this.config.generation.maxTokens });
  }

  private async selectEngine(): Promise<OrtEngine> {
    const { engine, reasons } = await selectEngine(this.config.backend, this.config.threads);
    this.logger.log('info', 'engine.selected', { backend: this.config.backend, engine: engine.name, threads: engine.threads, reasons });
    return engine;
  }

  private setState(state: DaemonState): void {
    const from = this.state;
    this.state = state;
    this.logger.log('info', 'state', { from, to: state });
    this.events.publish('state', { from, to: state });
  }

  private startTimers(): void {
    this.stopTimers();
    this.checkpointTimer = setInterval(() => void this.save('periodic').catch(() => undefined), this.config.checkpoint.intervalSeconds * 1000);
    this.memoryTimer = setInterval(() => {
      this.memoryMonitor.sample();
      this.checkIdleBudget();
    }, this.config.memory.sampleIntervalSeconds * 1000);
    this.memoryMonitor.sample();
    if (this.timers.length === 0) this.timers.push(setInterval(() => this.events.publish('heartbeat', { state: this.state, queue: this.queue.depth }), HEARTBEAT_MS));
    for (const timer of [this.checkpointTimer, this.memoryTimer, ...this.timers]) timer.unref();
  }

  private stopTimers(): void {
    clearInterval(this.checkpointTimer);
    clearInterval(this.memoryTimer);
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}

function questionOf(request: AskRequest): string {
  if (request.prompt !== undefined) return request.prompt;
  const messages = request.messages ?? [];
  return messages.length ? messages[messages.length - 1].content : '';
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Well under the SSE writer's coalescing window (16 ms), so its batched writes go out on time, and
 * short enough that a client in this same process (tests, an embedding app), which needs two or
 * three turns to see its own chunk, abort and have the server notice, is heard within ~12 ms.
 */
const deltaTurnIntervalMs = 4;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
