// kill -9 the appliance while it writes checkpoints, round after round: the newest loadable checkpoint always holds every acknowledged teach.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNewestCheckpoint } from '../../runtime/core/checkpoint/load-newest-checkpoint.js';
import { LearnerMemory } from '../../runtime/core/learner/learner-memory.js';
import { FsCheckpointStore } from '../../runtime/node/checkpoint-store-fs.js';
import { postJson, startDaemonProcess, type DaemonProcess } from './daemon-process.js';

const ROUNDS = Number(process.env.NEXUS_STRESS_ROUNDS ?? 6);
let dataDir: string | undefined;
let current: DaemonProcess | undefined;

afterAll(async () => {
  await current?.kill();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The newest checkpoint that decodes, and its learner memory. */
async function newestOnDisk(dir: string): Promise<{ id: string; memory: LearnerMemory } | null> {
  const loaded = await loadNewestCheckpoint(new FsCheckpointStore(join(dir, 'checkpoints')));
  if (!loaded) return null;
  return { id: loaded.id, memory: LearnerMemory.fromSection(loaded.checkpoint.sections.memory, { capacity: 100_000 }) };
}

describe('kill -9 during checkpoint writes', () => {
  it(`survives ${ROUNDS} rounds with no acknowledged teach lost`, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nexus-kill9-'));
    const acked: Array<{ question: string; answer: string }> = [];
    let killedWhileSaving = 0;
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const before = await newestOnDisk(dataDir);
      current = await startDaemonProcess(dataDir, { checkpoint: { intervalSeconds: 3600, keep: 3 } });
      const daemon = current;
      // The restart restored exactly the newest intact checkpoint.
      if (before) expect(daemon.logs.find((line) => line.event === 'checkpoint.restored')).toMatchObject({ id: before.id });
      for (const { question, answer } of acked) expect(before?.memory.lookup(question)?.answer, `round ${round}: "${question}"`).toBe(answer);

      // Teach and save in a loop while extra saves are in flight, then kill at a random moment.
      const killAt = Date.now() + 80 + Math.floor(Math.random() * 400);
      const inFlight: Array<Promise<unknown>> = [];
      for (let i = 0; Date.now() < killAt && i < 50; i++) {
        const fact = { question: `What does kill${round}x${i} mean?`, answer: `kill${round}x${i} (noun): taught in round ${round}.` };
        expect((await postJson(`${daemon.lanUrl}/api/teach`, fact)).status).toBe(200);
        inFlight.push(daemon.control({ action: 'save' }).catch(() => undefined));
        const saved = await daemon.control({ action: 'save' });
        expect(saved.status).toBe(200);
        acked.push(fact);
      }
      const pending = daemon.control({ action: 'save' }).catch(() => 'killed');
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)));
      await daemon.kill();
      if ((await pending) === 'killed') killedWhileSaving++;
      await Promise.all(inFlight);
    }
    const last = await newestOnDisk(dataDir);
    for (const { question, answer } of acked) expect(last?.memory.lookup(question)?.answer).toBe(answer);
    // The last restart answers a taught question from memory.
    current = await startDaemonProcess(dataDir);
    const reply = await (await postJson(`${current.lanUrl}/api/interact`, { prompt: acked[acked.length - 1].question })).json();
    expect(reply).toMatchObject({ source: 'memory', response: acked[acked.length - 1].answer });
    await current.stop();
    console.log(`[reliability] kill -9: ${ROUNDS} rounds survived (${killedWhileSaving} killed with a save in flight), ${acked.length} acknowledged teaches all restored, ${Math.round((Date.now() - started) / 1000)} s`);
  }, 60_000 + ROUNDS * 15_000);
});
