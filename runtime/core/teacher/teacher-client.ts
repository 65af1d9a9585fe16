// TeacherClient: asks an OpenAI-compatible chat completions endpoint what the gate abstained on.
import { NexusError } from '../nexus-error.js';
import { networkErrorText } from '../network-error-text.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { silentLogger, type Logger } from '../platform/logger.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';

export interface TeacherClientOptions {
  /**
   * The API base URL, as the `openai` SDK's `baseURL`: everything before `/chat/completions`
   * (Ollama `http://pi.local:11434/v1`, llama-server or a Nexus appliance `http://host:8080/v1`).
   * Nothing is added to it but `/chat/completions`: `/v1` is not guessed, since servers differ.
   * A trailing `/`, or a full `…/chat/completions` URL, is accepted too. Query parameters are kept.
   */
  baseUrl: string;
  /** The model name sent in the request (e.g. `qwen2.5:0.5b`). */
  model: string;
  /** Sent as `Authorization: Bearer …`; never logged nor put in an error. */
  apiKey?: string;
  /** Whole-request limit, response body included (default 15 000 ms). */
  timeoutMs?: number;
  /** The platform's fetch. */
  fetch: typeof fetch;
  /** When given, every call goes through it (an open breaker refuses without a request). */
  breaker?: CircuitBreaker;
  /** Sent first, as the system message. */
  systemPrompt?: string;
  /** Measures latency (default systemClock). */
  clock?: Clock;
  /** Receives `teacher.answered` / `teacher.failed` events (default: silent). */
  logger?: Logger;
}

/** The teacher's answer. */
export interface TeacherAnswer {
  /** The answer text, trimmed; never empty. */
  answer: string;
  /** The model the server says answered (falls back to the requested one). */
  model: string;
  latencyMs: number;
}

/** How much of an unexpected response body an error quotes. */
const SNIPPET_CHARS = 200;

function invalid(key: string, reason: string): NexusError {
  return new NexusError('INVALID_OPTION', { key, reason });
}

/** Resolves `<baseUrl>/chat/completions`, refusing what fetch would refuse later. */
function chatCompletionsUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid('baseUrl', `expected an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('baseUrl', `expected http: or https:, got ${url.protocol}`);
  // fetch refuses URLs with credentials in browsers; the key belongs in apiKey.
  if (url.username || url.password) throw invalid('baseUrl', 'must not contain user:password; pass the key as apiKey');
  const path = url.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  url.pathname = `${path}/chat/completions`;
  return url;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

/** OpenAI-style servers put `{error: {message}}` (or `{error: "…"}`) in failed responses. */
function errorMessageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A client for one teacher endpoint; ask() sends one non-streaming chat completion. */
export class TeacherClient {
  /** The resolved `…/chat/completions` URL (named in errors and events). */
  readonly endpoint: string;
  readonly model: string;
  readonly timeoutMs: number;
  readonly #apiKey: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #systemPrompt: string | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(options: TeacherClientOptions) {
    const { model, timeoutMs = 15_000, apiKey, systemPrompt } = options;
    this.endpoint = chatCompletionsUrl(options.baseUrl).href;
    if (typeof model !== 'string' || model.trim() === '') throw invalid('model', `expected a non-empty string, got ${JSON.stringify(model)}`);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw invalid('timeoutMs', `expected a number > 0, got ${timeoutMs}`);
    if (typeof options.fetch !== 'function') throw invalid('fetch', 'expected the platform fetch function');
    this.model = model;
    this.timeoutMs = timeoutMs;
    this.#apiKey = apiKey === '' ? undefined : apiKey;
    const fetchFn = options.fetch;
    // Called unbound: a browser's fetch throws "Illegal invocation" when `this` is not the global.
    this.#fetch = (input, init) => fetchFn(input, init);
    this.#breaker = options.breaker;
    this.#systemPrompt = systemPrompt?.trim() ? systemPrompt : undefined;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Asks one question. Throws NexusError TEACHER_TIMEOUT past `timeoutMs`, TEACHER_FAILED for a
   * network error, a non-2xx status or an unusable body (the reason says which), ABORTED when
   * `signal` aborts, CIRCUIT_OPEN when the breaker refuses, EMPTY_PROMPT for a blank question.
   */
  async ask(question: string, signal?: AbortSignal): Promise<TeacherAnswer> {
    if (typeof question !== 'string' || question.trim() === '') throw new NexusError('EMPTY_PROMPT');
    if (signal?.aborted) throw new NexusError('ABORTED', {}, { cause: signal.reason });
    const call = () => this.#request(question.trim(), signal);
    try {
      return await (this.#breaker ? this.#breaker.run(call) : call());
    } catch (error) {
      if (error instanceof NexusError) this.#logger.log('warn', 'teacher.failed', { url: this.endpoint, code: error.code, reason: error.message });
      throw error;
    }
  }

  async #request(question: string, signal: AbortSignal | undefined): Promise<TeacherAnswer> {
    const started = this.#clock.monotonic();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    let status: number;
    let statusText: string;
    let text: string;
    try {
      const response = await this.#fetch(this.endpoint, {
        method: 'POST',
        headers: this.#headers(),
        body: JSON.stringify({ model: this.model, messages: this.#messages(question), stream: false }),
        signal: controller.signal,
      });
      ({ status, statusText } = response);
      text = await response.text();
    } catch (error) {
      if (timedOut) throw new NexusError('TEACHER_TIMEOUT', { url: this.endpoint, timeoutMs: this.timeoutMs }, { cause: error });
      if (signal?.aborted) throw new NexusError('ABORTED', {}, { cause: signal.reason });
      throw this.#failed(`request failed: ${networkErrorText(error)}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }
    const result = this.#parse(status, statusText, text);
    const latencyMs = Math.round(this.#clock.monotonic() - started);
    this.#logger.log('info', 'teacher.answered', { url: this.endpoint, model: result.model, latencyMs });
    return { ...result, latencyMs };
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.#apiKey !== undefined) headers.authorization = `Bearer ${this.#apiKey}`;
    return headers;
  }

  #messages(question: string): Array<{ role: 'system' | 'user'; content: string }> {
    const user = { role: 'user' as const, content: question };
    return this.#systemPrompt === undefined ? [user] : [{ role: 'system', content: this.#systemPrompt }, user];
  }

  /** Turns a status and body into an answer, or a TEACHER_FAILED naming what was wrong. */
  #parse(status: number, statusText: string, text: string): { answer: string; model: string } {
    const json = parseJson(text);
    if (status < 200 || status > 299) {
      const said = (json.ok ? errorMessageOf(json.value) : undefined) ?? snippet(text);
      throw this.#failed(`HTTP ${status}${statusText ? ` ${statusText}` : ''}${said ? `: ${said}` : ''}`, { status });
    }
    if (!json.ok) throw this.#failed(`response is not JSON: "${snippet(text)}"`, { status });
    const body = json.value as { choices?: unknown; model?: unknown; nexus?: { decision?: unknown } } | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.#failed('response JSON is not an object', { status });
    const errorMessage = errorMessageOf(body);
    if (errorMessage !== undefined) throw this.#failed(`response carries an error: ${errorMessage}`, { status });
    if (!Array.isArray(body.choices)) throw this.#failed('response has no choices array', { status });
    if (body.choices.length === 0) throw this.#failed('response has an empty choices array', { status });
    const message = (body.choices[0] as { message?: { content?: unknown } } | null)?.message;
    if (typeof message?.content !== 'string') throw this.#failed('response has no string choices[0].message.content', { status });
    const answer = message.content.trim();
    if (answer === '') throw this.#failed('the answer (choices[0].message.content) is empty', { status });
    // Another Nexus appliance says when its own gate abstained: that text is not an answer to learn.
    if (body.nexus?.decision === 'abstained') throw this.#failed('the teacher does not know either (its gate abstained)', { status });
    const model = typeof body.model === 'string' && body.model !== '' ? body.model : this.model;
    return { answer, model };
  }

  #failed(reason: string, extra: Record<string, unknown> = {}): NexusError {
    // A server may echo request headers back; the key must not ride out in an error.
    const safe = this.#apiKey ? reason.split(this.#apiKey).join('[redacted]') : reason;
    return new NexusError('TEACHER_FAILED', { url: this.endpoint, reason: safe, ...extra });
  }
}
