// metricsSummary: the appliance's Prometheus text (/metrics) read into the few figures an operator looks at first.
import type { StatusRow } from '../../../runtime/node/cli/status-rows.js';

/** One sample line: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

const count = (value: number) => Math.round(value).toLocaleString('en');

type SumOf = (name: string, keep?: (labels: Record<string, string>) => boolean) => number;

/**
 * Every answer the gate decided, by where it came from: the speed (tokens/s) is only the model's,
 * so counting answers by it left out those from memory or the teacher and the abstentions.
 */
function answersRow(sum: SumOf, modelSpeed: number | undefined): StatusRow {
  const decided = (keep: (labels: Record<string, string>) => boolean) => sum('nexus_gate_decisions_total', keep);
  const total = decided(() => true);
  if (!total) return { label: 'answers', value: 'none yet', tone: 'quiet' };
  const fromModel = decided((labels) => labels.source === 'model' && labels.decision === 'answered');
  const speed = fromModel && modelSpeed !== undefined ? ` at a median ${modelSpeed.toFixed(1)} tokens/s` : '';
  const parts: [number, string][] = [
    [fromModel, `from the model${speed}`],
    [decided((labels) => labels.decision === 'stopped'), 'stopped when unsure'],
    [decided((labels) => labels.source === 'memory'), 'from memory'],
    [decided((labels) => labels.source === 'teacher'), 'from the teacher'],
    [decided((labels) => labels.decision === 'abstained'), 'abstained'],
  ];
  const note = parts.filter(([n]) => n > 0).map(([n, what]) => `${count(n)} ${what}`).join(', ');
  return { label: 'answers', value: count(total), note };
}

/** Requests (and how many failed), answers by source with the model's median speed, time to first token, CPU; what the text has. */
export function metricsSummary(text: string): StatusRow[] {
  const samples = parseSamples(text);
  const sum: SumOf = (name, keep = () => true) =>
    samples.filter((sample) => sample.name === name && keep(sample.labels)).reduce((total, sample) => total + sample.value, 0);
  const has = (name: string) => samples.some((sample) => sample.name === name);
  const quantile = (name: string, q: string) => samples.find((sample) => sample.name === name && sample.labels.quantile === q)?.value;
  const rows: StatusRow[] = [];
  if (has('nexus_http_requests_total')) {
    const serverErrors = sum('nexus_http_requests_total', (labels) => labels.status?.startsWith('5'));
    const refused = sum('nexus_http_requests_total', (labels) => labels.status?.startsWith('4'));
    const note = [refused && `${count(refused)} refused (4xx)`, serverErrors && `${count(serverErrors)} failed (5xx)`].filter(Boolean).join(', ');
    rows.push({ label: 'requests', value: count(sum('nexus_http_requests_total')), ...(serverErrors ? { tone: 'bad' as const } : {}), ...(note ? { note } : {}) });
  }
  if (has('nexus_gate_decisions_total') || has('nexus_decode_tokens_per_second_count')) rows.push(answersRow(sum, quantile('nexus_decode_tokens_per_second', '0.5')));
  const p50 = quantile('nexus_time_to_first_token_seconds', '0.5');
  const p95 = quantile('nexus_time_to_first_token_seconds', '0.95');
  if (sum('nexus_time_to_first_token_seconds_count') && p50 !== undefined && p95 !== undefined) rows.push({ label: 'first token', value: `${(p50 * 1000).toFixed(0)} ms median`, note: `95th percentile ${(p95 * 1000).toFixed(0)} ms` });
  if (has('nexus_cpu_percent')) rows.push({ label: 'cpu', value: `${sum('nexus_cpu_percent').toFixed(0)} %` });
  return rows;
}
