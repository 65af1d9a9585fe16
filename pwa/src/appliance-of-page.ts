// applianceOfPage: the page's own origin when an appliance serves the PWA (its /api/status answers there).

/** The page's origin if it answers /api/status as an appliance does, else undefined. */
export async function applianceOfPage(signal: AbortSignal): Promise<string | undefined> {
  try {
    const response = await fetch(new URL('/api/status', location.origin), { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) });
    if (!response.ok || !response.headers.get('content-type')?.includes('json')) return undefined;
    const status = (await response.json()) as { state?: unknown };
    return typeof status.state === 'string' ? location.origin : undefined;
  } catch {
    return undefined;
  }
}
