import { stat } from 'node:fs/promises';
import { DockerConfigFile, dockerConfigPath } from './docker-config-file.js';
import { staticAuthenticator } from './static-keychain.js';
import { anonymous, type AuthResource, type Authenticator, type Keychain } from './types.js';

export interface DockerConfigKeychainOptions {
  /** config.json to read; default from `DOCKER_CONFIG` or `~/.docker/config.json`. */
  path?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Credentials from docker's config.json `auths`. The file is re-read when its mtime or size
 * changes, so a login in another terminal (or in the TUI) is picked up without a restart.
 */
export class DockerConfigKeychain implements Keychain {
  readonly path: string;
  private cached: { stamp: string; file: Promise<DockerConfigFile> } | undefined;

  constructor(options: DockerConfigKeychainOptions = {}) {
    this.path = options.path ?? dockerConfigPath(options.env);
  }

  async resolve(resource: AuthResource): Promise<Authenticator> {
    const file = await this.file();
    const config = file.getAuth(resource.registry);
    return config ? staticAuthenticator(config) : anonymous;
  }

  /** The parsed file, for callers that also want credsStore/credHelpers. */
  async file(): Promise<DockerConfigFile> {
    const stamp = await stat(this.path).then(
      (s) => `${s.mtimeMs}:${s.size}`,
      () => 'missing',
    );
    if (!this.cached || this.cached.stamp !== stamp) {
      const file = DockerConfigFile.load(this.path);
      this.cached = { stamp, file };
      file.catch(() => {
        if (this.cached?.file === file) this.cached = undefined;
      });
    }
    return this.cached.file;
  }
}
