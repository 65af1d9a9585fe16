// The local CA that `nexusctl tls init` makes: the CLI trusts it for its own calls to the appliance.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `<dataDir>/tls/nexus-ca.crt`, where `tls init` writes the CA certificate. */
export function localCaFile(dataDir: string): string {
  return join(dataDir, 'tls', 'nexus-ca.crt');
}

/** The CA certificate (PEM) of the data directory, or undefined when `tls init` has not made one. */
export async function readLocalCa(dataDir: string): Promise<string | undefined> {
  return readFile(localCaFile(dataDir), 'utf8').catch(() => undefined);
}
