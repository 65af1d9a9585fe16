// envTypoWarnings: a NEXUS_* variable that is no setting but is spelled like one (NEXUS_PROT) is named, not silently ignored.
import { configOverrides } from '../config/load-config.js';

/** NEXUS_* variables the CLI and the daemon read that are not config settings. */
const otherVariables = ['NEXUS_API_KEY', 'NEXUS_ADMIN_KEY', 'NEXUS_DEBUG', 'NEXUS_LOG_FILE'];

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/**
 * One warning for each ignored NEXUS_* variable within two edits of one the project reads: others
 * (test knobs, other tools' variables) stay quiet.
 */
export function envTypoWarnings(ignored: readonly string[]): string[] {
  const known = [...configOverrides.map((override) => override.env), ...otherVariables];
  return ignored.flatMap((name) => {
    if (known.includes(name)) return [];
    const closest = known.map((candidate) => ({ candidate, distance: editDistance(name, candidate) })).sort((a, b) => a.distance - b.distance)[0];
    return closest && closest.distance <= 2 ? [`${name} is not a setting and is ignored; did you mean ${closest.candidate}?`] : [];
  });
}

const warned = new Set<string>();

/** Writes each typo warning once per process (a command may load the config more than once). */
export function warnAboutEnvTypos(ignored: readonly string[]): void {
  for (const warning of envTypoWarnings(ignored)) {
    if (warned.has(warning)) continue;
    warned.add(warning);
    process.stderr.write(`nexusctl: warning: ${warning}\n`);
  }
}
