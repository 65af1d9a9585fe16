// teachAppliance: a correction for an answer the appliance gave, stored on that appliance (POST /api/teach).
import { applianceError } from './appliance-error.js';
import { applianceFetch, type ApplianceTarget } from './appliance-fetch.js';

/** Teaches the appliance `target`; resolves with the size of its memory. */
export async function teachAppliance(target: ApplianceTarget, question: string, answer: string): Promise<number> {
  const response = await applianceFetch(target, '/api/teach', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, answer }) });
  if (!response.ok) throw await applianceError(response, 'chat');
  const { memory } = (await response.json()) as { memory?: { entries?: number } };
  return memory?.entries ?? 0;
}
