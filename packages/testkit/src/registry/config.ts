import { randomBytes } from 'node:crypto';

export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  rootCertBundlePath: string;
}

export interface RegistryConfigInput {
  port: number;
  storageDir: string;
  htpasswdPath?: string;
  token?: TokenAuthConfig;
  tls?: { certificatePath: string; keyPath: string };
}

/** JSON strings are valid YAML scalars, which spares us a YAML dependency and any quoting bugs. */
const q = (value: string): string => JSON.stringify(value);

/**
 * A distribution 2.8 config. Log level info with the access log on, because tests read the log
 * (for example to show a cross-repo mount moved no layer bytes).
 */
export function renderRegistryConfig(input: RegistryConfigInput): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(input.storageDir)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${q(`127.0.0.1:${input.port}`)}`,
    `  secret: ${q(randomBytes(16).toString('hex'))}`,
  ];
  if (input.tls) {
    lines.push('  tls:', `    certificate: ${q(input.tls.certificatePath)}`, `    key: ${q(input.tls.keyPath)}`);
  }
  if (input.htpasswdPath) {
    lines.push('auth:', '  htpasswd:', '    realm: "nextdeploy-testkit"', `    path: ${q(input.htpasswdPath)}`);
  } else if (input.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${q(input.token.realm)}`,
      `    service: ${q(input.token.service)}`,
      `    issuer: ${q(input.token.issuer)}`,
      `    rootcertbundle: ${q(input.token.rootCertBundlePath)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
