// formatPullSummary: what a finished pull did, in the words `nexusctl models pull` prints after "pulled <id> <dtype> into <dir>".
import { formatBytes } from './format-bytes.js';
import type { PullModelResult } from './pull-model.js';

const files = (count: number) => `${count} file${count === 1 ? '' : 's'}`;

/** How the files were checked: "verified" only where a SHA-256 was compared, "recorded" where it was trusted on first use. */
function hashSummary(result: PullModelResult): string {
  const verified = result.files.filter((file) => file.sha256Verified).length;
  const recorded = result.files.length - verified;
  if (recorded === 0) return 'SHA-256 verified';
  const firstUse = 'the registry has no SHA-256 for them: the hashes seen now were recorded, and later pulls and `models verify` check against them';
  if (verified === 0) return `SHA-256 recorded on first use; ${firstUse}`;
  return `SHA-256 verified for ${files(verified)}, recorded on first use for ${files(recorded)}; ${firstUse}`;
}

/** `(8.6 MB transferred, 1 file resumed, 1 damaged file replaced; SHA-256 verified)`. */
export function formatPullSummary(result: PullModelResult): string {
  const resumed = result.files.filter((file) => file.resumedFrom > 0).length;
  const repaired = result.files.filter((file) => file.repaired).length;
  const transfer = [`${formatBytes(result.transferredBytes)} transferred`, ...(resumed ? [`${files(resumed)} resumed`] : []), ...(repaired ? [`${repaired} damaged ${repaired === 1 ? 'file' : 'files'} replaced`] : [])];
  return `(${transfer.join(', ')}; ${hashSummary(result)})`;
}
