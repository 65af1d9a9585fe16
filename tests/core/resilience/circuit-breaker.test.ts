// Tests for CircuitBreaker: transitions on a fake clock, then a real teacher server that stalls, refuses and recovers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { NexusError, isNexusError } from '../../../runtime/core/nexus-error.js';
import type { Clock } from '../../../runtime/core/platform/clock.js';
import type { Logger } from '../../../runtime/core/platform/logger.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitStateChange } from '../../../runtime/core/resilience/circuit-breaker.js';
import { TeacherClient } from '../../../runtime/core/teacher/teacher-client.js';

/** A clock that moves only when told to: the breaker's cool-down is measured on it. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let t = 1_000_000;
  return { now: () => 1_700_000_000_000 + t, monotonic: () => t, advance: (ms) => void (t += ms) };
}

const ok = () => Promise.resolve('ok');
const boom = () => Promise.reject(new Error('dependency down'));

async function settle(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    return error;
  }
}

function setup(options: Partial<CircuitBreakerOptions> = {}) {
  const clock = fakeClock();
  const breaker = new CircuitBreaker({ name: 'teacher', failureThreshold: 3, coolDownMs: 10_000, clock, ...options });
  const changes: CircuitStateChange[] = [];
  breaker.onStateChange((change) => changes.push(change));
  const fail = async (times: number) => {
    for (let i = 0; i < times; i++) await expect(breaker.run(boom)).rejects.toThrow('dependency down');
  };
  return { clock, breaker, changes, fail };
}

describe('CircuitBreaker (fake clock)', () => {
  it('starts CLOSED and passes results and errors through', async () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('CLOSED');
    await expect(breaker.run(ok)).resolves.toBe('ok');
    await expect(breaker.run(boom)).rejects.toThrow('dependency down');
    expect(breaker.state).toBe('CLOSED');
  });

  it('opens after failureThreshold consecutive failures', async () => {
    const { breaker, changes, fail, clock } = setup();
    await fail(2);
    expect(breaker.state).toBe('CLOSED');
    await fail(1);
    expect(breaker.state).toBe('OPEN');
    expect(changes).toEqual([{ name: 'teacher', from: 'CLOSED', to: 'OPEN', reason: 'failure-threshold', at: clock.now() }]);
    expect(breaker.snapshot()).toMatchObject({ state: 'OPEN', failures: 3, openedAt: clock.now(), retryAfterMs: 10_000 });
  });

  it('counts consecutive failures only: a success resets the count', async () => {
    const { breaker, fail } = setup();
    await fail(2);
    await breaker.run(ok);
    expect(breaker.snapshot().failures).toBe(0);
    await fail(2);
    expect(breaker.state).toBe('CLOSED');
    await fail(1);
    expect(breaker.state).toBe('OPEN');
  });

  it('refuses calls while OPEN without running them, with name and retryAfterMs', async () => {
    const { breaker, fail, clock } = setup();
    await fail(3);
    clock.advance(2_500);
    let ran = false;
    const error = await settle(breaker.run(async () => (ran = true)));
    expect(ran).toBe(false);
    expect(isNexusError(error, 'CIRCUIT_OPEN')).toBe(true);
    expect((error as NexusError).details).toMatchObject({ name: 'teacher', retryAfterMs: 7_500 });
    expect((error as NexusError).message).toBe('teacher is temporarily unavailable (circuit open; retry in 8 s)');
    expect(breaker.snapshot()).toMatchObject({ retryAfterMs: 7_500, counters: { rejections: 1 } });
  });

  it('lets one probe through after the cool-down; its success closes the breaker', async () => {
    const { breaker, fail, clock, changes } = setup();
    await fail(3);
    clock.advance(9_999);
    await expect(breaker.run(ok)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', details: { retryAfterMs: 1 } });
    clock.advance(1);
    await expect(breaker.run(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('CLOSED');
    expect(changes.map((c) => `${c.from}>${c.to}:${c.reason}`)).toEqual([
      'CLOSED>OPEN:failure-threshold',
      'OPEN>HALF_OPEN:cool-down-elapsed',
      'HALF_OPEN>CLOSED:probe-succeeded',
    ]);
    expect(breaker.snapshot()).toMatchObject({ state: 'CLOSED', failures: 0, openedAt: null, retryAfterMs: 0 });
  });

  it('a failed probe opens the breaker again for a fresh cool-down', async () => {
    const { breaker, fail, clock, changes } = setup();
    await fail(3);
    clock.advance(10_000);
    await fail(1);
    expect(breaker.state).toBe('OPEN');
    expect(changes.at(-1)).toMatchObject({ from: 'HALF_OPEN', to: 'OPEN', reason: 'probe-failed' });
    expect(breaker.snapshot()).toMatchObject({ openedAt: clock.now(), retryAfterMs: 10_000 });
    clock.advance(9_000);
    await expect(breaker.run(ok)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    clock.advance(1_000);
    await expect(breaker.run(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('CLOSED');
  });

  it('admits at most halfOpenMaxProbes probes at once while HALF_OPEN', async () => {
    for (const probes of [1, 2]) {
      const { breaker, fail, clock } = setup({ halfOpenMaxProbes: probes });
      await fail(3);
      clock.advance(10_000);
      const release: Array<() => void> = [];
      const inFlight = Array.from({ length: probes }, () => breaker.run(() => new Promise<string>((resolve) => release.push(() => resolve('probe')))));
      expect(breaker.state).toBe('HALF_OPEN');
      await expect(breaker.run(ok)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', details: { state: 'HALF_OPEN' } });
      release.forEach((resolve) => resolve());
      await expect(Promise.all(inFlight)).resolves.toEqual(Array(probes).fill('probe'));
      expect(breaker.state).toBe('CLOSED');
    }
  });

  it('does not count errors that isFailure rejects; a cancelled probe frees its slot', async () => {
    const { breaker, fail, clock } = setup();
    const aborted = () => Promise.reject(new NexusError('ABORTED'));
    const domAbort = () => Promise.reject(new DOMException('user left', 'AbortError'));
    for (let i = 0; i < 5; i++) await expect(breaker.run(i % 2 ? aborted : domAbort)).rejects.toBeDefined();
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.snapshot().counters).toMatchObject({ failures: 0, ignoredErrors: 5 });
    await fail(3);
    clock.advance(10_000);
    await expect(breaker.run(aborted)).rejects.toMatchObject({ code: 'ABORTED' });
    expect(breaker.state).toBe('HALF_OPEN');
    await expect(breaker.run(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('CLOSED');
  });

  it('uses a custom isFailure predicate (e.g. a 4xx is the caller’s fault)', async () => {
    const { breaker } = setup({ isFailure: (error) => !(error instanceof Error && error.message.startsWith('4')) });
    for (let i = 0; i < 5; i++) await expect(breaker.run(() => Promise.reject(new Error('400 bad request')))).rejects.toThrow();
    expect(breaker.state).toBe('CLOSED');
  });

  it('counts a synchronous throw in fn as a failure', async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await expect(
      breaker.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(breaker.state).toBe('OPEN');
  });

  it('ignores for state the late outcome of a call that started before the breaker opened', async () => {
    const { breaker, fail } = setup();
    let finishSlow!: () => void;
    const slow = breaker.run(() => new Promise<string>((resolve) => (finishSlow = () => resolve('late'))));
    await fail(3);
    finishSlow();
    await expect(slow).resolves.toBe('late');
    expect(breaker.state).toBe('OPEN');
    expect(breaker.snapshot().counters.successes).toBe(1);
  });

  it('keeps totals in the snapshot', async () => {
    const { breaker, fail, clock } = setup();
    await breaker.run(ok);
    await fail(3);
    await settle(breaker.run(ok));
    clock.advance(10_000);
    await breaker.run(ok);
    expect(breaker.snapshot()).toEqual({
      name: 'teacher',
      state: 'CLOSED',
      failures: 0,
      openedAt: null,
      retryAfterMs: 0,
      counters: { successes: 2, failures: 3, ignoredErrors: 0, rejections: 1, transitions: 3 },
    });
  });

  it('unsubscribes listeners, and a throwing listener neither breaks the call nor stops others', async () => {
    const logged: string[] = [];
    const logger: Logger = { log: (_level, event) => logged.push(event) };
    const { breaker, fail, changes } = setup({ logger });
    const seen: string[] = [];
    breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = breaker.onStateChange((change) => seen.push(change.to));
    await fail(3);
    expect(seen).toEqual(['OPEN']);
    expect(changes).toHaveLength(1);
    expect(logged).toEqual(['circuit_breaker.listener_failed']);
    unsubscribe();
    unsubscribe();
    await settle(breaker.run(ok));
    expect(seen).toEqual(['OPEN']);
  });

  it('refuses bad options, naming the key', () => {
    const bad: Array<[Partial<CircuitBreakerOptions>, string]> = [
      [{ name: '' }, 'name'],
      [{ failureThreshold: 0 }, 'failureThreshold'],
      [{ failureThreshold: 2.5 }, 'failureThreshold'],
      [{ coolDownMs: -1 }, 'coolDownMs'],
      [{ coolDownMs: Number.POSITIVE_INFINITY }, 'coolDownMs'],
      [{ halfOpenMaxProbes: 0 }, 'halfOpenMaxProbes'],
    ];
    for (const [options, key] of bad) {
      expect(() => new CircuitBreaker({ name: 'x', ...options }), key).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: expect.objectContaining({ key }) }));
    }
    expect(new CircuitBreaker({ name: 'x' })).toMatchObject({ failureThreshold: 5, coolDownMs: 30_000, halfOpenMaxProbes: 1 });
  });
});

describe('CircuitBreaker around a real teacher server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await stop();
  });

  /** Listens on 127.0.0.1 (port 0 = any); `healthy` answers a chat completion, otherwise the server stalls. */
  async function start(port: number, healthy: boolean, seen: string[]): Promise<number> {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (!healthy) return; // stall: never answer
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ model: 'big-teacher', choices: [{ index: 0, message: { role: 'assistant', content: 'recovered' } }] }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', resolve);
    });
    return (server.address() as AddressInfo).port;
  }

  /** Closes the server and every open socket: from now on connections are refused. */
  async function stop(): Promise<void> {
    const current = server;
    server = undefined;
    if (!current) return;
    current.closeAllConnections();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  async function timed(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
    const started = performance.now();
    const error = await settle(promise);
    return { error, ms: performance.now() - started };
  }

  it('opens on timeouts and refusals, rejects fast while open, and closes once a probe finds the server healthy', async () => {
    const timeoutMs = 200;
    const coolDownMs = 400;
    const breaker = new CircuitBreaker({ name: 'teacher', failureThreshold: 3, coolDownMs });
    const transitions: string[] = [];
    breaker.onStateChange((change) => transitions.push(`${change.from}>${change.to}`));
    const stalled: string[] = [];
    const port = await start(0, false, stalled);
    const teacher = new TeacherClient({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', timeoutMs, fetch: globalThis.fetch, breaker });

    // 1. The server stalls: the call waits out the timeout.
    const first = await timed(teacher.ask('q'));
    expect(first.error).toMatchObject({ code: 'TEACHER_TIMEOUT' });
    // Node starts timers from its cached loop time, which can lag by tens of ms: allow some slack.
    expect(first.ms).toBeGreaterThanOrEqual(timeoutMs / 2);
    expect(stalled).toHaveLength(1);

    // 2. The server goes away: connections are refused; the third consecutive failure opens the breaker.
    await stop();
    for (let i = 0; i < 2; i++) await expect(teacher.ask('q')).rejects.toMatchObject({ code: 'TEACHER_FAILED', details: { reason: expect.stringContaining('ECONNREFUSED') } });
    expect(breaker.state).toBe('OPEN');

    // 3. While open, calls are refused at once: far below the request timeout, and no request is made.
    const refused = await timed(teacher.ask('q'));
    expect(refused.error).toMatchObject({ code: 'CIRCUIT_OPEN', details: { name: 'teacher' } });
    expect(refused.ms).toBeLessThan(timeoutMs / 4);

    // 4. After the cool-down a probe goes out; the server is still down, so the breaker opens again.
    await sleep(breaker.snapshot().retryAfterMs + 20);
    await expect(teacher.ask('q')).rejects.toMatchObject({ code: 'TEACHER_FAILED' });
    expect(breaker.state).toBe('OPEN');

    // 5. The server comes back on the same port; the breaker still refuses until its cool-down ends.
    const seen: string[] = [];
    await start(port, true, seen);
    const stillOpen = await timed(teacher.ask('q'));
    expect(stillOpen.error).toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(stillOpen.ms).toBeLessThan(timeoutMs / 4);
    expect(seen).toHaveLength(0);

    // 6. After the cool-down the probe succeeds and the breaker closes; calls flow again.
    await sleep(breaker.snapshot().retryAfterMs + 20);
    await expect(teacher.ask('q')).resolves.toMatchObject({ answer: 'recovered', model: 'big-teacher' });
    expect(breaker.state).toBe('CLOSED');
    await expect(teacher.ask('q')).resolves.toMatchObject({ answer: 'recovered' });
    expect(seen).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(transitions).toEqual(['CLOSED>OPEN', 'OPEN>HALF_OPEN', 'HALF_OPEN>OPEN', 'OPEN>HALF_OPEN', 'HALF_OPEN>CLOSED']);
    expect(breaker.snapshot().counters).toMatchObject({ successes: 2, failures: 4, rejections: 2 });
  });

  it('a stalled server opens the breaker on timeouts alone', async () => {
    const breaker = new CircuitBreaker({ name: 'teacher', failureThreshold: 2, coolDownMs: 60_000 });
    const port = await start(0, false, []);
    const teacher = new TeacherClient({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', timeoutMs: 100, fetch: globalThis.fetch, breaker });
    for (let i = 0; i < 2; i++) await expect(teacher.ask('q')).rejects.toMatchObject({ code: 'TEACHER_TIMEOUT' });
    const refused = await timed(teacher.ask('q'));
    expect(refused.error).toMatchObject({ code: 'CIRCUIT_OPEN', details: { retryAfterMs: expect.any(Number) } });
    expect((refused.error as NexusError).details.retryAfterMs).toBeGreaterThan(59_000);
    expect(refused.ms).toBeLessThan(25);
  });
});
