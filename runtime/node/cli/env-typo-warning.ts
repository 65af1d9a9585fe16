// envTypoWarnings: a NEXUS_* variable that is no setting but is spelled like one (NEXUS_PROT) is named, not silently ignored.
import { editDistance } from '../config/edit-distance.js';
import { configOverrides } from '../config/load-config.js';

/** NEXUS_* variables the CLI and the daemon read that are not config settings. */
const otherVariables = ['NEXUS_API_KEY', 'NEXUS_ADMIN_KEY', 'NEXUS_DEBUG', 'NEXUS_LOG_FILE'];

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
