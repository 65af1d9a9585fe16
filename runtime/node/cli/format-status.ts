// formatStatus: the readable, coloured view of GET /api/status (the rows of statusRows).
import pc from 'picocolors';
import { statusRows, type ApplianceStatus, type StatusTone } from './status-rows.js';

const colourOf: Record<StatusTone, (text: string) => string> = { good: pc.green, warn: pc.yellow, bad: pc.red, quiet: pc.dim };

/** Multi-line text: one `label  value (note)` row per known part. */
export function formatStatus(status: ApplianceStatus, pid?: number): string {
  return statusRows(status, pid)
    .map(({ label, value, tone, note }) => `${pc.bold(label.padEnd(11))}${tone ? colourOf[tone](value) : value}${note ? pc.dim(` (${note})`) : ''}`)
    .join('\n');
}
