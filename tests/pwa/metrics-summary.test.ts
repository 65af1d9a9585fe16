// metricsSummary on a real appliance's /metrics (lexicon-tiny answering over HTTP), and on the edge cases of the text format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsSummary } from '../../pwa/src/ui/metrics-summary.js';
import { startTestAppliance, type TestAppliance } from '../node/appliance/appliance-harness.js';

describe('metricsSummary', () => {
  let appliance: TestAppliance;
  let url: string;
  beforeAll(async () => {
    appliance = await startTestAppliance();
    url = appliance.app.lanUrl;
  }, 60_000);
  afterAll(() => appliance.stop());

  const metrics = async () => metricsSummary(await (await fetch(`${url}/metrics`)).text());

  it("reads a real appliance: no answers yet, then every answer by where it came from, the model's median speed, time to first token, and the refused requests", async () => {
    const before = await metrics();
    expect(before.find((row) => row.label === 'answers')).toEqual({ label: 'answers', value: 'none yet', tone: 'quiet' });
    expect(before.some((row) => row.label === 'first token')).toBe(false);
    for (const word of ['river', 'lantern', 'blorvantic']) {
      const response = await fetch(`${url}/api/interact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: `What does ${word} mean?` }) });
      expect(response.status).toBe(200);
      await response.text();
    }
    expect((await fetch(`${url}/api/interact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' })).status).toBe(400);
    const after = await metrics();
    expect(after.map((row) => row.label)).toEqual(['requests', 'answers', 'first token', 'cpu']);
    const [requests, answers, firstToken] = after;
    expect(Number(requests.value)).toBeGreaterThanOrEqual(4);
    expect(requests.note).toBe('1 refused (4xx)');
    expect(requests.tone).toBeUndefined();
    expect(answers.value).toBe('3');
    expect(answers.note).toMatch(/^2 from the model at a median \d+\.\d tokens\/s, 1 abstained$/);
    expect(Number(answers.note?.match(/[\d.]+/)?.[0])).toBeGreaterThan(0);
    expect(firstToken.value).toMatch(/^\d+ ms median$/);
    expect(firstToken.note).toMatch(/^95th percentile \d+ ms$/);
  });

  it('counts server errors as failed, reads labels with escaped quotes, and skips comments and blank lines', () => {
    const text = [
      '# HELP nexus_http_requests_total HTTP requests',
      '# TYPE nexus_http_requests_total counter',
      'nexus_http_requests_total{route="/v1/chat/completions",method="POST",status="200"} 1200',
      'nexus_http_requests_total{route="/a \\"quoted\\" route",method="POST",status="503"} 3',
      '',
      'nexus_cpu_percent 37.6',
    ].join('\n');
    expect(metricsSummary(text)).toEqual([
      { label: 'requests', value: '1,203', tone: 'bad', note: '3 failed (5xx)' },
      { label: 'cpu', value: '38 %' },
    ]);
    expect(metricsSummary('')).toEqual([]);
  });

  it('counts answers from memory and the teacher, stopped ones and abstentions, not only those the model spoke at a measured speed', () => {
    const text = [
      'nexus_gate_decisions_total{decision="answered",source="model"} 1200',
      'nexus_gate_decisions_total{decision="stopped",source="model"} 4',
      'nexus_gate_decisions_total{decision="answered",source="memory"} 30',
      'nexus_gate_decisions_total{decision="answered",source="teacher"} 2',
      'nexus_gate_decisions_total{decision="abstained",source="model"} 51',
      'nexus_decode_tokens_per_second{quantile="0.5"} 404.57',
      'nexus_decode_tokens_per_second_count 1204',
      'nexus_time_to_first_token_seconds{quantile="0.5"} 0.028',
      'nexus_time_to_first_token_seconds{quantile="0.95"} 0.075',
      'nexus_time_to_first_token_seconds_count 1287',
    ].join('\n');
    expect(metricsSummary(text)).toEqual([
      { label: 'answers', value: '1,287', note: '1,200 from the model at a median 404.6 tokens/s, 4 stopped when unsure, 30 from memory, 2 from the teacher, 51 abstained' },
      { label: 'first token', value: '28 ms median', note: '95th percentile 75 ms' },
    ]);
    // Only memory answered: no model speed to quote, and the first token is still timed.
    const fromMemory = ['nexus_gate_decisions_total{decision="answered",source="memory"} 2', 'nexus_decode_tokens_per_second_count 0', 'nexus_time_to_first_token_seconds{quantile="0.5"} 0.001', 'nexus_time_to_first_token_seconds{quantile="0.95"} 0.002', 'nexus_time_to_first_token_seconds_count 2'].join('\n');
    expect(metricsSummary(fromMemory)).toEqual([
      { label: 'answers', value: '2', note: '2 from memory' },
      { label: 'first token', value: '1 ms median', note: '95th percentile 2 ms' },
    ]);
  });
});
