// formatStatus: the readable, coloured view of GET /api/status.
import pc from 'picocolors';

/** The parts of /api/status the readable view shows (all optional: older daemons send less). */
export interface ApplianceStatus {
  state?: string;
  version?: string;
  uptimeSeconds?: number;
  model?: { id?: string; dtype?: string; engine?: string; threads?: number; contextLength?: number };
  queue?: { depth?: number; size?: number; active?: number };
  gate?: { threshold?: number; source?: string } | null;
  memory?: { entries?: number; capacity?: number } | null;
  checkpoint?: { lastSavedAt?: string | null; lastId?: string | null; ageSeconds?: number | null };
  rssMb?: number;
  leak?: { slopeMbPerHour?: number; leaking?: boolean };
  breaker?: string | { state?: string };
  health?: string | { status?: string; reasons?: string[] };
}

const healthColour = (status: string) => (status === 'healthy' ? pc.green(status) : status === 'degraded' ? pc.yellow(status) : pc.red(status));

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${Math.floor(seconds % 60)}s` : `${Math.floor(seconds)}s`;
}

/** Multi-line text: one `label  value` row per known part. */
export function formatStatus(status: ApplianceStatus, pid?: number): string {
  const health = typeof status.health === 'string' ? { status: status.health, reasons: [] } : (status.health ?? {});
  const breaker = typeof status.breaker === 'string' ? status.breaker : status.breaker?.state;
  const rows: Array<[string, string | undefined]> = [
    ['state', status.state && (status.state === 'serving' ? pc.green(status.state) : pc.yellow(status.state))],
    ['health', health.status && `${healthColour(health.status)}${health.reasons?.length ? pc.dim(` (${health.reasons.join('; ')})`) : ''}`],
    ['pid', pid?.toString()],
    ['version', status.version],
    ['uptime', status.uptimeSeconds !== undefined ? duration(status.uptimeSeconds) : undefined],
    ['model', status.model && [status.model.id, status.model.dtype, status.model.engine, status.model.threads && `${status.model.threads} thread${status.model.threads === 1 ? '' : 's'}`, status.model.contextLength && `ctx ${status.model.contextLength}`].filter(Boolean).join(' · ')],
    ['queue', status.queue && `${status.queue.active ?? 0} running, ${status.queue.depth ?? 0}/${status.queue.size ?? '?'} waiting`],
    ['gate', status.gate ? `threshold ${status.gate.threshold?.toFixed(3) ?? '?'} (${status.gate.source ?? '?'})` : undefined],
    ['memory', status.memory ? `${status.memory.entries ?? 0}/${status.memory.capacity ?? '?'} learned entries` : undefined],
    ['checkpoint', status.checkpoint && (status.checkpoint.lastSavedAt ? `${status.checkpoint.lastId ?? ''} ${pc.dim(`saved ${status.checkpoint.lastSavedAt}`)}` : pc.dim('none yet'))],
    ['rss', status.rssMb !== undefined ? `${status.rssMb.toFixed(0)} MB${status.leak?.leaking ? pc.red(` leaking ${status.leak.slopeMbPerHour?.toFixed(1)} MB/h`) : ''}` : undefined],
    ['breaker', breaker && (breaker.toLowerCase() === 'closed' ? pc.green(breaker.toLowerCase()) : pc.red(breaker.toLowerCase()))],
  ];
  return rows.filter((row): row is [string, string] => Boolean(row[1])).map(([label, value]) => `${pc.bold(label.padEnd(11))}${value}`).join('\n');
}
