// Tests for Mutex: tasks run strictly one after another in submission order; a rejected task does not block the next.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Mutex } from '../../../runtime/core/internal/mutex.js';

describe('Mutex', () => {
  it('runs tasks one at a time, in the order they were submitted', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const task = (name: string, ms: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      running--;
      return name;
    };
    // Longer tasks first: without the mutex they would finish out of order.
    const results = await Promise.all([mutex.run(task('a', 15)), mutex.run(task('b', 5)), mutex.run(task('c', 1)), mutex.run(task('d', 0))]);
    expect(results).toEqual(['a', 'b', 'c', 'd']);
    expect(maxRunning).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c', 'start d', 'end d']);
  });

  it('does not start a task synchronously inside run()', async () => {
    const mutex = new Mutex();
    let started = false;
    const done = mutex.run(async () => {
      started = true;
    });
    expect(started).toBe(false);
    await done;
    expect(started).toBe(true);
  });

  it('passes each task’s value back to its own caller', async () => {
    const mutex = new Mutex();
    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => mutex.run(async () => i * 2)));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  });

  it('a rejected task rejects its own caller and does not block the next', async () => {
    const mutex = new Mutex();
    const order: string[] = [];
    const failing = mutex.run(async () => {
      order.push('fail');
      await sleep(2);
      throw new Error('boom');
    });
    const next = mutex.run(async () => {
      order.push('next');
      return 'ok';
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    expect(order).toEqual(['fail', 'next']);
  });

  it('a task that throws synchronously still releases the lock', async () => {
    const mutex = new Mutex();
    const failing = mutex.run((() => {
      throw new Error('sync');
    }) as () => Promise<never>);
    await expect(failing).rejects.toThrow('sync');
    await expect(mutex.run(async () => 1)).resolves.toBe(1);
  });

  it('tasks queued later wait for a slow one even after a failure in between', async () => {
    const mutex = new Mutex();
    const events: string[] = [];
    const slow = mutex.run(async () => {
      await sleep(10);
      events.push('slow');
    });
    const bad = mutex.run(async () => {
      events.push('bad');
      throw new Error('x');
    });
    bad.catch(() => undefined);
    const last = mutex.run(async () => {
      events.push('last');
    });
    await Promise.allSettled([slow, bad, last]);
    expect(events).toEqual(['slow', 'bad', 'last']);
  });

  it('separate mutexes do not serialize each other', async () => {
    const a = new Mutex();
    const b = new Mutex();
    const events: string[] = [];
    await Promise.all([
      a.run(async () => {
        events.push('a start');
        await sleep(10);
        events.push('a end');
      }),
      b.run(async () => {
        events.push('b start');
        await sleep(1);
        events.push('b end');
      }),
    ]);
    expect(events).toEqual(['a start', 'b start', 'b end', 'a end']);
  });
});
