// The local CA that `nexusctl tls init` makes: the CLI trusts it (or a CA file given with --ca) for its own calls to the appliance.
import { readFile } from 'node:fs/promises';
import { localCaFile } from '../local-ca-file.js';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** The CA certificate (PEM) of the data directory, or undefined when `tls init` has not made one. */
export async function readLocalCa(dataDir: string): Promise<string | undefined> {
  return readFile(localCaFile(dataDir), 'utf8').catch(() => undefined);
}

/** The PEM in a CA file named with --ca; a missing or non-PEM file is an error naming it. */
async function readCaFile(file: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the CA file ${file} (--ca): ${(error as NodeJS.ErrnoException).code ?? String(error)}`, exitCodes.notFound);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`the CA file ${file} (--ca) holds no PEM certificate`, exitCodes.badInput);
  return pem;
}

/** The CA to trust for an https appliance: the --ca file when given, else the one `tls init` made in `dataDir` (if any). */
export async function trustedCa(options: { ca?: string; dataDir: string }): Promise<string | undefined> {
  return options.ca === undefined ? readLocalCa(options.dataDir) : readCaFile(options.ca);
}
