import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeDir } from '../lifecycle/temp-dir.js';
import { openssl } from '../tls/openssl.js';

export interface SigningMaterial {
  keyPem: string;
  certPem: string;
  /** base64 DER of the certificate: the JWT `x5c` entry distribution 2.8 uses as key hint. */
  certDerBase64: string;
}

let cached: Promise<SigningMaterial> | undefined;

/**
 * An RSA key and self-signed certificate, made once per test process with the openssl CLI.
 * Every registry in the process trusts it.
 */
export function signingMaterial(): Promise<SigningMaterial> {
  cached ??= generate().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function generate(): Promise<SigningMaterial> {
  const dir = await makeTempDir('tokencert');
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await openssl(
      [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
        '-subj', '/CN=nextdeploy-testkit-token-signer',
        '-keyout', keyPath, '-out', certPath,
      ],
      'the token signing certificate',
    );
    const [keyPem, certPem] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    const certDerBase64 = certPem
      .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
      .replace(/\s+/g, '');
    return { keyPem, certPem, certDerBase64 };
  } finally {
    await removeDir(dir);
  }
}
