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

  it('reads a real appliance: no answers yet, then the answers given, their median speed and time to first token, and the refused requests', async () => {
    const before = await metrics();
    expect(before.find((row) => row.label === 'answers')).toEqual({ label: 'answers', value: 'none yet', tone: 'quiet' });
    expect(before.some((row) => row.label === 'first token')).toBe(false);
    for (const word of ['river', 'lantern']) {
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
    expect(answers.value).toBe('2');
    expect(answers.note).toMatch(/^median \d+\.\d tokens\/s$/);
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
});
