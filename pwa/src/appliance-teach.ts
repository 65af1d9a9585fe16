// teachAppliance: a correction for an answer the appliance gave, stored on that appliance (POST /api/teach).
import { applianceError, applianceUnreachable } from './appliance-error.js';

/** Teaches the appliance at `baseUrl`; resolves with the size of its memory. */
export async function teachAppliance(baseUrl: string, question: string, answer: string): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/api/teach`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, answer }) });
  } catch (error) {
    throw applianceUnreachable(baseUrl, error);
  }
  if (!response.ok) throw await applianceError(response, 'chat');
  const { memory } = (await response.json()) as { memory?: { entries?: number } };
  return memory?.entries ?? 0;
}
