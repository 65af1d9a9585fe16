// The config's gate overrides (threshold, k, collapseThreshold) are applied, and win over the calibration a restored checkpoint carries.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplianceLogger } from '../../../runtime/node/appliance/appliance-logger.js';
import { startAppliance, type ApplianceHandle } from '../../../runtime/node/appliance/start-appliance.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../../runtime/core/checkpoint/checkpoint-codec.js';
import { readAdminKey } from '../../../runtime/node/appliance/admin-key.js';
import type { NexusConfig } from '../../../edge-config/config-schema.js';
import { testConfig } from './appliance-harness.js';

type GateStatus = { threshold: number; k: number };
let dataDir: string;

const start = (gate: Partial<NexusConfig['gate']>) => startAppliance(testConfig(dataDir, { gate: { enabled: true, ...gate } }), { logger: new ApplianceLogger({ level: 'error', write: () => undefined }), staticDir: null });
const gateOf = async (app: ApplianceHandle): Promise<GateStatus> => ((await (await fetch(`${app.lanUrl}/api/status`)).json()) as { gate: GateStatus }).gate;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nexus-gate-config-'));
  // A first start saves a checkpoint with the model's own calibration (k 12) on shutdown.
  const first = await start({});
  expect((await gateOf(first)).k).toBe(12);
  await first.close('test');
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('gate overrides in the config', () => {
  it('k, threshold and collapseThreshold from the config are in force after the checkpoint is restored', async () => {
    const app = await start({ k: 4, threshold: 0.3, collapseThreshold: 0.2 });
    try {
      expect(await gateOf(app)).toMatchObject({ k: 4, threshold: 0.3 });
      expect(app.daemon.assistant?.calibration.settings).toMatchObject({ k: 4, threshold: 0.3, collapseThreshold: 0.2 });
    } finally {
      await app.close('test');
    }
  });

  it('are never saved: once removed from the config, the calibrated settings are back after a restart', async () => {
    const overridden = await start({ k: 6, threshold: 0.8 });
    const calibrated = (await gateOf(overridden)) as GateStatus & { source: string };
    expect(calibrated).toMatchObject({ k: 6, threshold: 0.8, source: 'config' });
    await overridden.close('test');
    const app = await start({});
    try {
      const gate = (await gateOf(app)) as GateStatus & { source: string };
      expect(gate.k).toBe(12);
      expect(gate.threshold).not.toBe(0.8);
      expect(gate.source).not.toBe('config');
    } finally {
      await app.close('test');
    }
  });

  it('a checkpoint uploaded to the running appliance does not undo them', async () => {
    const app = await start({ k: 5 });
    try {
      // The appliance's own state, but with a calibration of k 20.
      const decoded = await decodeCheckpoint(await app.daemon.checkpoints.encode(app.daemon.assistant!));
      const gate = decoded.sections.gate as { settings: Record<string, unknown> };
      const bytes = await encodeCheckpoint({ header: decoded.header, sections: { ...decoded.sections, gate: { ...gate, settings: { ...gate.settings, k: 20 } } } });
      const response = await fetch(`${app.adminUrl}/api/checkpoints`, { method: 'POST', headers: { authorization: `Bearer ${await readAdminKey(dataDir)}`, 'content-type': 'application/octet-stream' }, body: Buffer.from(bytes) });
      expect(response.status).toBe(200);
      expect((await gateOf(app)).k).toBe(5);
    } finally {
      await app.close('test');
    }
  });
});
