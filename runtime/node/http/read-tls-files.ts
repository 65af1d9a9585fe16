// readTlsFiles: the PEM certificate and key of tls.cert / tls.key, checked, with errors naming the key.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NexusError } from '../../core/nexus-error.js';

const invalid = (key: string, file: string, reason: string, cause?: unknown) => new NexusError('CONFIG_INVALID', { key, reason, file }, { cause });

async function readPem(key: string, file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied for the user the appliance runs as' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw invalid(key, file, `cannot read the ${what} ${file}: ${why}${code === 'ENOENT' ? ' (nexusctl tls init makes one)' : ''}`, error);
  }
}

/**
 * Reads and checks the LAN API's certificate and key: each file readable, a PEM certificate and a
 * PEM private key, the key the certificate's. Throws CONFIG_INVALID [tls.cert] or [tls.key] saying
 * what is wrong, where the TLS server would otherwise fail with a bare ENOENT or OpenSSL code.
 */
export async function readTlsFiles(tls: { cert: string; key: string }): Promise<{ cert: Buffer; key: Buffer }> {
  const cert = await readPem('tls.cert', tls.cert, 'certificate');
  const key = await readPem('tls.key', tls.key, 'private key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw invalid('tls.cert', tls.cert, `${tls.cert} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)`, error);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    const encrypted = (error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE';
    throw invalid('tls.key', tls.key, encrypted ? `${tls.key} is encrypted; the appliance needs an unencrypted key (openssl pkey -in … -out …)` : `${tls.key} is not a PEM private key (expected -----BEGIN PRIVATE KEY-----)`, error);
  }
  if (!certificate.checkPrivateKey(privateKey)) throw invalid('tls.key', tls.key, `${tls.key} is not the key of the certificate in tls.cert (${tls.cert})`);
  return { cert, key };
}
