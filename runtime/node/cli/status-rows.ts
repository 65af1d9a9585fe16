// statusRows: the parts of GET /api/status worth reading, as labelled rows: `nexusctl status` colours them, the PWA's
// dashboard lists them. Platform-neutral (no node: import): the PWA bundles it.

/** The parts of /api/status the rows show (all optional: older daemons send less). */
export interface ApplianceStatus {
  state?: string;
  version?: string;
  uptimeSeconds?: number;
  model?: { id?: string; dtype?: string; engine?: string; threads?: number; contextLength?: number };
  queue?: { depth?: number; size?: number; active?: number };
  gate?: { threshold?: number; source?: string } | null;
  memory?: { entries?: number; capacity?: number } | null;
  checkpoint?: { lastSavedAt?: string | null; lastId?: string | null; ageSeconds?: number | null; lastError?: string | null };
  rssMb?: number;
  leak?: { slopeMbPerHour?: number; leaking?: boolean };
  breaker?: string | { state?: string };
  health?: string | { status?: string; reasons?: string[] };
}

/** How a row reads at a glance: fine, worth a look, wrong, or nothing yet. */
export type StatusTone = 'good' | 'warn' | 'bad' | 'quiet';

/** One row: `note` qualifies the value (why it is degraded, when it was saved). */
export interface StatusRow {
  label: string;
  value: string;
  tone?: StatusTone;
  note?: string;
}

/** 42s, 3m 5s, 2h 14m. */
export function readableDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${Math.floor(seconds % 60)}s` : `${Math.floor(seconds)}s`;
}

function checkpointRow(checkpoint: NonNullable<ApplianceStatus['checkpoint']>): StatusRow {
  const failed = checkpoint.lastError ? { tone: 'bad' as const, note: `the last save failed: ${checkpoint.lastError}` } : {};
  if (checkpoint.lastSavedAt) return { label: 'checkpoint', value: checkpoint.lastId ?? '', note: `saved ${checkpoint.lastSavedAt}`, ...failed };
  // An appliance that restarted holds the checkpoint it restored, and has saved none since.
  if (checkpoint.lastId) return { label: 'checkpoint', value: checkpoint.lastId, note: 'restored at start; none saved since', ...failed };
  return { label: 'checkpoint', value: 'none yet', tone: 'quiet', ...failed };
}

/** The rows of `status` that it has, in reading order; `pid` where the caller knows it. */
export function statusRows(status: ApplianceStatus, pid?: number): StatusRow[] {
  const health = typeof status.health === 'string' ? { status: status.health, reasons: [] } : (status.health ?? {});
  const breaker = (typeof status.breaker === 'string' ? status.breaker : status.breaker?.state)?.toLowerCase();
  const { model, queue, gate, memory, checkpoint, leak } = status;
  const rows: Array<StatusRow | false | null | undefined | ""> = [
    status.state !== undefined && { label: 'state', value: status.state, tone: status.state === 'serving' ? 'good' : 'warn' },
    health.status !== undefined && { label: 'health', value: health.status, tone: health.status === 'healthy' ? 'good' : health.status === 'degraded' ? 'warn' : 'bad', note: health.reasons?.length ? health.reasons.join('; ') : undefined },
    pid !== undefined && { label: 'pid', value: String(pid) },
    status.version !== undefined && { label: 'version', value: status.version },
    status.uptimeSeconds !== undefined && { label: 'uptime', value: readableDuration(status.uptimeSeconds) },
    model && { label: 'model', value: [model.id, model.dtype, model.engine, model.threads && `${model.threads} thread${model.threads === 1 ? '' : 's'}`, model.contextLength && `ctx ${model.contextLength}`].filter(Boolean).join(' · ') },
    queue && { label: 'queue', value: `${queue.active ?? 0} running, ${queue.depth ?? 0}/${queue.size ?? '?'} waiting` },
    gate && { label: 'gate', value: `threshold ${gate.threshold?.toFixed(3) ?? '?'} (${gate.source ?? '?'})` },
    memory && { label: 'memory', value: `${memory.entries ?? 0}/${memory.capacity ?? '?'} learned entries` },
    checkpoint && checkpointRow(checkpoint),
    status.rssMb !== undefined && { label: 'rss', value: `${status.rssMb.toFixed(0)} MB`, ...(leak?.leaking ? { tone: 'bad' as const, note: `leaking ${leak.slopeMbPerHour?.toFixed(1)} MB/h` } : {}) },
    breaker && { label: 'breaker', value: breaker, tone: breaker === 'closed' ? 'good' : 'bad' },
  ];
  return rows.filter((row): row is StatusRow => Boolean(row));
}
