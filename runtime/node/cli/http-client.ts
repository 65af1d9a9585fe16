// requestApi: one HTTP call to the appliance, with its JSON errors turned back into NexusErrors.
import { NexusError, isNexusError, type NexusErrorJSON } from '../../core/nexus-error.js';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import { fetchTrustingCa, type TrustedRequest } from './fetch-trusting-ca.js';
import { unreachableError } from './unreachable-error.js';

/** Options of requestApi. */
export interface ApiRequest {
  method?: string;
  /** JSON-encoded unless it is already bytes. */
  body?: unknown;
  /** Bearer key (the admin key for the admin API). */
  key?: string;
  /** A CA certificate (PEM) to trust for an https URL besides the usual roots: the one `tls init` made. */
  ca?: string;
  signal?: AbortSignal;
  /** Return the Response as is (for SSE and downloads) instead of parsing JSON. */
  raw?: boolean;
}

function isErrorBody(value: unknown): value is { error: NexusErrorJSON } {
  return typeof value === 'object' && value !== null && typeof (value as { error?: { code?: unknown } }).error?.code === 'string';
}

/** fetch, trusting `ca` for an https URL when one is given. */
export function fetchAppliance(url: string, init: TrustedRequest, ca?: string): Promise<Response> {
  return ca && url.startsWith('https:') ? fetchTrustingCa(url, init, ca) : fetch(url, init);
}

/** A request sent without a key that the appliance refused for want of one: say how to give one. */
function missingKey(url: string): CliError {
  return new CliError(
    `the appliance at ${new URL(url).origin} needs an API key: set NEXUS_API_KEY or pass --api-key (make one on the appliance with nexusctl token create)`,
    exitCodes.auth,
  );
}

/** Sends the request; an unreachable server is CliError(notRunning), an error body a NexusError. */
export async function sendApi(url: string, request: ApiRequest = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (request.key) headers.authorization = `Bearer ${request.key}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (request.body instanceof Uint8Array) {
    body = new Uint8Array(request.body); // an ArrayBuffer-backed copy, as fetch's BodyInit wants
    headers['content-type'] = 'application/octet-stream';
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetchAppliance(url, { method: request.method ?? (body ? 'POST' : 'GET'), headers, body, signal: request.signal }, request.ca);
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw unreachableError(new URL(url).origin, error);
  }
  if (!response.ok) {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isErrorBody(parsed)) {
      const error = NexusError.fromJSON(parsed.error);
      throw !request.key && isNexusError(error, 'UNAUTHORIZED') ? missingKey(url) : error;
    }
    throw new CliError(`${new URL(url).pathname} answered HTTP ${response.status}: ${text.slice(0, 200)}`, response.status === 401 || response.status === 403 ? exitCodes.auth : exitCodes.failure);
  }
  return response;
}

/** GET/POST returning parsed JSON. */
export async function requestJson<T>(url: string, request: ApiRequest = {}): Promise<T> {
  const response = await sendApi(url, request);
  return (await response.json()) as T;
}
