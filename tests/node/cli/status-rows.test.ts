// statusRows and formatStatus on /api/status bodies as the appliance sends them (and as older appliances sent less).
import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../runtime/node/cli/format-status.js';
import { readableDuration, statusRows } from '../../../runtime/node/cli/status-rows.js';

const serving = {
  state: 'serving',
  version: '0.1.0',
  uptimeSeconds: 3725,
  model: { id: 'lexicon-tiny', dtype: 'q8', engine: 'wasm', threads: 1, contextLength: 512 },
  queue: { depth: 2, size: 16, active: 1 },
  gate: { threshold: 0.9971, source: 'registry' },
  memory: { entries: 3, capacity: 2048 },
  checkpoint: { lastSavedAt: '2026-11-24T22:00:00.000Z', lastId: 'checkpoint-2.nxck', ageSeconds: 60, lastError: null },
  rssMb: 109.3,
  leak: { slopeMbPerHour: 0, leaking: false },
  breaker: { state: 'CLOSED' },
  health: { status: 'healthy', reasons: [] },
};

const row = (status: object, label: string) => statusRows(status).find((candidate) => candidate.label === label);

describe('statusRows', () => {
  it('lists what a serving appliance reports, in reading order, with its tone', () => {
    expect(statusRows(serving, 4242)).toEqual([
      { label: 'state', value: 'serving', tone: 'good' },
      { label: 'health', value: 'healthy', tone: 'good', note: undefined },
      { label: 'pid', value: '4242' },
      { label: 'version', value: '0.1.0' },
      { label: 'uptime', value: '1h 2m' },
      { label: 'model', value: 'lexicon-tiny · q8 · wasm · 1 thread · ctx 512' },
      { label: 'queue', value: '1 running, 2/16 waiting' },
      { label: 'gate', value: 'threshold 0.997 (registry)' },
      { label: 'memory', value: '3/2048 learned entries' },
      { label: 'checkpoint', value: 'checkpoint-2.nxck', note: 'saved 2026-11-24T22:00:00.000Z' },
      { label: 'rss', value: '109 MB' },
      { label: 'breaker', value: 'closed', tone: 'good' },
    ]);
  });

  it('says a checkpoint restored at start is there, none saved since, and a failed save', () => {
    expect(row({ checkpoint: { lastSavedAt: null, lastId: 'checkpoint-1.nxck' } }, 'checkpoint')).toEqual({ label: 'checkpoint', value: 'checkpoint-1.nxck', note: 'restored at start; none saved since' });
    expect(row({ checkpoint: { lastSavedAt: null, lastId: null } }, 'checkpoint')).toEqual({ label: 'checkpoint', value: 'none yet', tone: 'quiet' });
    expect(row({ checkpoint: { lastSavedAt: null, lastId: null, lastError: 'disk full' } }, 'checkpoint')).toEqual({ label: 'checkpoint', value: 'none yet', tone: 'bad', note: 'the last save failed: disk full' });
  });

  it('marks what is wrong: a degraded health with its reasons, a leak, an open breaker, a paused state', () => {
    expect(row({ health: { status: 'degraded', reasons: ['queue full', 'slow'] } }, 'health')).toEqual({ label: 'health', value: 'degraded', tone: 'warn', note: 'queue full; slow' });
    expect(row({ health: 'unhealthy' }, 'health')).toMatchObject({ value: 'unhealthy', tone: 'bad' });
    expect(row({ rssMb: 180, leak: { slopeMbPerHour: 12.34, leaking: true } }, 'rss')).toEqual({ label: 'rss', value: '180 MB', tone: 'bad', note: 'leaking 12.3 MB/h' });
    expect(row({ breaker: 'OPEN' }, 'breaker')).toEqual({ label: 'breaker', value: 'open', tone: 'bad' });
    expect(row({ state: 'paused' }, 'state')).toEqual({ label: 'state', value: 'paused', tone: 'warn' });
  });

  it('leaves out what an older appliance does not send', () => {
    expect(statusRows({ state: 'serving' }).map(({ label }) => label)).toEqual(['state']);
    expect(statusRows({})).toEqual([]);
  });

  it('reads durations at the scale they have', () => {
    expect([5, 65, 3600 * 26 + 60].map(readableDuration)).toEqual(['5s', '1m 5s', '26h 1m']);
  });
});

describe('formatStatus', () => {
  it('prints one padded row a part, the note in parentheses', () => {
    const text = formatStatus({ ...serving, checkpoint: { lastSavedAt: null, lastId: 'checkpoint-1.nxck' } }).replace(/\x1b\[\d+m/g, '');
    expect(text.split('\n')).toContain('checkpoint checkpoint-1.nxck (restored at start; none saved since)');
    expect(text.split('\n')[0]).toBe('state      serving');
  });
});
