// verifyCheckpointBytes: decodes a checkpoint with the core decoder and reports what it holds or why it fails.
import { checkAssistantSections } from '../../core/assistant/assistant-checkpoint.js';
import { decodeCheckpoint } from '../../core/checkpoint/checkpoint-codec.js';
import { toNexusError } from '../../core/nexus-error.js';

/** The outcome of verifying one checkpoint. */
export type CheckpointCheck =
  | { ok: true; name: string; sizeBytes: number; createdAt: string; modelId: string; formatVersion: number; sections: string[] }
  | { ok: false; name: string; sizeBytes: number; code: string; error: string };

/** Verifies one blob (framing, checksums, JSON, version, and that its sections would restore) without loading it into an assistant. */
export async function verifyCheckpointBytes(name: string, bytes: Uint8Array): Promise<CheckpointCheck> {
  try {
    const decoded = await decodeCheckpoint(bytes);
    checkAssistantSections(decoded);
    const { createdAt, modelId } = decoded.header;
    return { ok: true, name, sizeBytes: bytes.byteLength, createdAt, modelId, formatVersion: decoded.migratedFrom ?? decoded.header.formatVersion, sections: Object.keys(decoded.sections).sort() };
  } catch (error) {
    const nexus = toNexusError(error, 'CHECKPOINT_CORRUPT');
    return { ok: false, name, sizeBytes: bytes.byteLength, code: nexus.code, error: nexus.message };
  }
}
