// WorkerClient: the UI side of the worker protocol (request ids, streamed answers, errors rebuilt as NexusError).
import { NexusError } from '../../runtime/core/index.js';
import type { AnswerView, EngineChoice, ModelChoice, TeacherTarget, WorkerEvent, WorkerRequest } from './protocol/worker-protocol.js';

/** Streamed answer text; with `restart` it replaces the text received so far (the answer started over on another engine). */
export type DeltaListener = (text: string, restart: boolean) => void;

type Pending = { resolve: (event: WorkerEvent) => void; reject: (error: NexusError) => void; onDelta?: DeltaListener };

/** An `engine` event: the engine that took over under the loaded model, and that model's name. */
export type EngineChange = Extract<WorkerEvent, { type: 'engine' }>;

/** What `start` reports once the model is loaded. */
export type ReadyInfo = Extract<WorkerEvent, { type: 'ready' }>;

/** Distributive Omit, so each request variant keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Talks to one inference worker; a new engine choice means a new client. */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Settles when the model has loaded or failed to: what `configure` waits for (the worker answers it at once). */
  private loaded: Promise<unknown> = Promise.resolve();
  /** Set by `retire`: the worker stops once nothing sent to it is pending. */
  private retiring = false;

  constructor(
    private readonly onProgress: (file: string, loaded: number, total: number) => void,
    private readonly onMeasured: (tokensPerSecond: number) => void = () => undefined,
    private readonly onEngineChange: (change: EngineChange) => void = () => undefined,
  ) {
    this.worker = new Worker(new URL('./worker/inference-worker.ts', import.meta.url), { type: 'module', name: 'nexus-inference' });
    this.worker.onmessage = (message: MessageEvent<WorkerEvent>) => this.receive(message.data);
  }

  /** Loads the model; resolves with the chosen engine. Requests sent meanwhile wait behind the load. */
  async start(appUrl: string, engine: EngineChoice, model: ModelChoice, teacher?: TeacherTarget): Promise<ReadyInfo> {
    const ready = this.request({ type: 'init', appUrl, engine, model, teacher });
    this.loaded = ready.catch(() => undefined);
    return (await ready) as ReadyInfo;
  }

  /** Asks a question; `onDelta` receives streamed text; returns the id to stop it with and the answer. */
  ask(prompt: string, onDelta: DeltaListener): { id: number; answer: Promise<AnswerView> } {
    const id = this.nextId;
    const answer = this.request({ type: 'ask', prompt }, onDelta).then((event) => (event as Extract<WorkerEvent, { type: 'done' }>).answer);
    return { id, answer };
  }

  /** Aborts the generation of the ask with this id (it ends as stopped). */
  stop(askId: number): Promise<unknown> {
    return this.request({ type: 'stop', askId });
  }

  /** Sets or clears the teacher (`<appliance>/v1`, with its key) without reloading the model (once it has loaded). */
  async configure(teacher?: TeacherTarget): Promise<unknown> {
    await this.loaded;
    return this.request({ type: 'configure', teacher });
  }

  /** Stores a correction and persists a checkpoint; resolves with the memory size. */
  async teach(question: string, answer: string): Promise<number> {
    return ((await this.request({ type: 'teach', question, answer })) as Extract<WorkerEvent, { type: 'result' }>).memorySize ?? 0;
  }

  /** The assistant's state as checkpoint bytes (the appliance's format). */
  async exportCheckpoint(): Promise<Uint8Array> {
    return ((await this.request({ type: 'export' })) as Extract<WorkerEvent, { type: 'result' }>).bytes ?? new Uint8Array();
  }

  /** Restores checkpoint bytes and stores them; resolves with the memory size. */
  async importCheckpoint(bytes: Uint8Array): Promise<number> {
    return ((await this.request({ type: 'import', bytes })) as Extract<WorkerEvent, { type: 'result' }>).memorySize ?? 0;
  }

  /** Stops the worker at once; what was sent to it and not answered fails. */
  terminate(): void {
    this.worker.terminate();
    const stopped = new NexusError('INTERNAL', { reason: 'the on-device engine was restarted with new settings; ask again' });
    for (const pending of this.pending.values()) pending.reject(stopped);
    this.pending.clear();
  }

  /** Stops the worker once what was sent to it is answered (a replaced engine finishes the answers it started). */
  retire(): void {
    this.retiring = true;
    if (this.pending.size === 0) this.worker.terminate();
  }

  private request(body: WithoutId<WorkerRequest>, onDelta?: DeltaListener): Promise<WorkerEvent> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onDelta });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private receive(event: WorkerEvent): void {
    if (event.type === 'progress') return this.onProgress(event.file, event.loaded, event.total);
    if (event.type === 'measured') return this.onMeasured(event.tokensPerSecond);
    if (event.type === 'engine') return this.onEngineChange(event);
    const pending = this.pending.get(event.id);
    if (!pending) return;
    if (event.type === 'delta') return pending.onDelta?.(event.text, event.restart === true);
    this.pending.delete(event.id);
    if (event.type === 'error') pending.reject(NexusError.fromJSON(event.error));
    else pending.resolve(event);
    if (this.retiring && this.pending.size === 0) this.worker.terminate();
  }
}
