import { execFileSync } from 'node:child_process';
import { constants } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { scavengeWhenIdle } from '../../../runtime/node/appliance/scavenge-when-idle.js';

describe('scavengeWhenIdle', () => {
  it('collects the young generation, and only that, once idle; nothing while a request runs', () => {
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'tests/fixtures/scavenge-when-idle-probe.ts'], { encoding: 'utf8' });
    const { whileBusy, whenIdle } = JSON.parse(output) as { whileBusy: number[]; whenIdle: number[] };
    expect(whileBusy).toEqual([]);
    expect(whenIdle).toEqual([constants.NODE_PERFORMANCE_GC_MINOR]);
  });

  it('does nothing where V8 exposes no gc (a process started without --expose-gc)', () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(() => scavengeWhenIdle(() => true)).not.toThrow();
  });
});
