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

/** Requests (and how many failed), answers with their median speed and time to first token, CPU; what the text has. */
export function metricsSummary(text: string): StatusRow[] {
  const samples = parseSamples(text);
  const sum = (name: string, keep: (labels: Record<string, string>) => boolean = () => true) =>
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
  const answers = sum('nexus_decode_tokens_per_second_count');
  if (has('nexus_decode_tokens_per_second_count')) {
    const speed = quantile('nexus_decode_tokens_per_second', '0.5');
    rows.push(answers && speed !== undefined ? { label: 'answers', value: count(answers), note: `median ${speed.toFixed(1)} tokens/s` } : { label: 'answers', value: 'none yet', tone: 'quiet' });
  }
  const p50 = quantile('nexus_time_to_first_token_seconds', '0.5');
  const p95 = quantile('nexus_time_to_first_token_seconds', '0.95');
  if (answers && p50 !== undefined && p95 !== undefined) rows.push({ label: 'first token', value: `${(p50 * 1000).toFixed(0)} ms median`, note: `95th percentile ${(p95 * 1000).toFixed(0)} ms` });
  if (has('nexus_cpu_percent')) rows.push({ label: 'cpu', value: `${sum('nexus_cpu_percent').toFixed(0)} %` });
  return rows;
}
