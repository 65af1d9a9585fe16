import { applianceFetch, type ApplianceTarget } from './appliance-fetch.js';
import { errorText } from './ui/error-text.js';

// applianceEngineLine: what the header says runs the answers when chat goes to an appliance (its /api/status).

interface ApplianceModelStatus {
  model?: { id?: string; dtype?: string; engine?: string | null; threads?: number };
}

/** "Engine: appliance, native · model lexicon-tiny q8", or why it cannot be said. */
export async function applianceEngineLine(target: ApplianceTarget): Promise<string> {
  try {
    const response = await applianceFetch(target, '/api/status', { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return `Engine: appliance (status HTTP ${response.status})`;
    const { model } = (await response.json()) as ApplianceModelStatus;
    const threads = model?.threads && model.threads > 1 ? `, ${model.threads} threads` : '';
    return `Engine: appliance, ${model?.engine ?? 'loading'}${threads} · model ${model?.id ?? '?'} ${model?.dtype ?? ''}`.trimEnd();
  } catch (error) {
    // The reason, not 'internal error: …'; and where chat can go meanwhile.
    return `Engine: appliance unreachable (${errorText(error)}); Settings → On this device answers without it`;
  }
}
