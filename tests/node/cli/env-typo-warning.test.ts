// A NEXUS_* variable spelled like a setting but not one is named with the setting meant; other NEXUS_* variables stay quiet.
import { describe, expect, it } from 'vitest';
import { envTypoWarnings } from '../../../runtime/node/cli/env-typo-warning.js';
import { ensureBuilt, runCli } from './cli-harness.js';

describe('NEXUS_* typos', () => {
  it('names a variable within two edits of one the project reads, and the one meant', () => {
    expect(envTypoWarnings(['NEXUS_PROT', 'NEXUS_ADMINPORT', 'NEXUS_DATADIR', 'NEXUS_API_KYE'])).toEqual([
      'NEXUS_PROT is not a setting and is ignored; did you mean NEXUS_PORT?',
      'NEXUS_ADMINPORT is not a setting and is ignored; did you mean NEXUS_ADMIN_PORT?',
      'NEXUS_DATADIR is not a setting and is ignored; did you mean NEXUS_DATA_DIR?',
      'NEXUS_API_KYE is not a setting and is ignored; did you mean NEXUS_API_KEY?',
    ]);
    expect(envTypoWarnings(['NEXUS_STRESS_ROUNDS', 'NEXUS_EVAL_FULL', 'NEXUS_SOAK_SECONDS', 'NEXUS_API_KEY'])).toEqual([]);
  });

  it('nexusctl warns once on stderr and goes on', async () => {
    await ensureBuilt();
    const status = await runCli(['status', '--data-dir', '/nonexistent-nexus-dir'], { env: { NEXUS_PROT: '18980' } });
    const warnings = status.stderr.split('\n').filter((line) => line.includes('NEXUS_PROT'));
    expect(warnings).toEqual(['nexusctl: warning: NEXUS_PROT is not a setting and is ignored; did you mean NEXUS_PORT?']);
    expect(status.stderr).toContain('the appliance is not running');
  }, 60_000);
});
