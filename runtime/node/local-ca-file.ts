// localCaFile: where `nexusctl tls init` writes the local CA's certificate, which the CLI trusts and the appliance serves to phones.
import { join } from 'node:path';

/** `<dataDir>/tls/nexus-ca.crt`. */
export function localCaFile(dataDir: string): string {
  return join(dataDir, 'tls', 'nexus-ca.crt');
}
