import { createSign, randomBytes } from 'node:crypto';
import type { AccessEntry } from './types.js';
import type { SigningMaterial } from './certificate.js';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export interface TokenClaimsInput {
  issuer: string;
  service: string;
  subject: string;
  access: AccessEntry[];
  ttlSeconds: number;
  now?: number;
}

/**
 * An RS256 JWT as distribution 2.8 verifies it: `x5c` key hint chaining to rootcertbundle,
 * `aud` as a plain string (2.8 rejects an array), access claim in the docker format.
 */
export function signRegistryToken(material: SigningMaterial, input: TokenClaimsInput): string {
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5c: [material.certDerBase64] };
  const claims = {
    iss: input.issuer,
    sub: input.subject,
    aud: input.service,
    exp: now + input.ttlSeconds,
    // One second back so a token used in the same second it was minted is valid everywhere.
    nbf: now - 1,
    iat: now,
    jti: randomBytes(12).toString('hex'),
    access: input.access,
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(material.keyPem);
  return `${signingInput}.${b64url(signature)}`;
}
