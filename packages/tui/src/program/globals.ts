import { Option, type Command } from 'commander';
import { collect } from '../flags/collect.js';
import { parseDuration } from '../flags/duration.js';
import { parseNonNegativeInteger } from '../flags/integer.js';

/** Flags every command accepts, before or after the subcommand name. */
export interface GlobalOptions {
  /** Allow plain HTTP / unverified TLS for the registry named in the command's own argument. */
  insecure: boolean;
  /** Further registries (host[:port]) allowed plain HTTP / unverified TLS. */
  insecureRegistry: string[];
  /** Attempts after the first for retryable failures; undefined keeps the transport's default. */
  retry?: number;
  /** Base backoff delay in ms; undefined keeps the transport's default. */
  retryDelay?: number;
  debug: boolean;
  /** Passed through for the configuration loader. */
  config?: string;
  /** Passed through for the configuration loader. */
  profile?: string;
  /** `-r, --registry TYPE`: force a provider (`dockerhub`, `ghcr`, `aws`, … or a plugin's name). */
  registryType?: string;
}

export function addGlobalOptions(program: Command): void {
  program
    .option('--insecure', 'allow plain HTTP and skip TLS verification for the registry named in the command')
    .addOption(new Option('--insecure-registry <host>', 'also allow plain HTTP / skip TLS verification for HOST (repeatable)').argParser(collect))
    .addOption(new Option('--retry <n>', 'retries after a failed request (network errors, 429, 5xx)').argParser(parseNonNegativeInteger))
    .addOption(new Option('--retry-delay <duration>', 'base delay between retries, e.g. 500ms, 2s, 1m').argParser(parseDuration))
    .option('--debug', 'log every request to stderr (secrets redacted) and show stack traces')
    .option('--config <file>', 'configuration file to use instead of searching for one')
    .option('--profile <name>', 'configuration profile to use')
    .option('-r, --registry <type>', 'force the credential provider: dockerhub, ghcr, digitalocean, aws, azure, google or a plugin name (default: $REGISTRY_TYPE, else detected from the host)');
}

/** Reads the global flags off whichever command is running; commander merges parent options in. */
export function readGlobals(command: Command): GlobalOptions {
  const o = command.optsWithGlobals<Record<string, unknown>>();
  return {
    insecure: o.insecure === true,
    insecureRegistry: Array.isArray(o.insecureRegistry) ? (o.insecureRegistry as string[]) : [],
    ...(typeof o.retry === 'number' ? { retry: o.retry } : {}),
    ...(typeof o.retryDelay === 'number' ? { retryDelay: o.retryDelay } : {}),
    debug: o.debug === true,
    ...(typeof o.config === 'string' ? { config: o.config } : {}),
    ...(typeof o.profile === 'string' ? { profile: o.profile } : {}),
    ...(typeof o.registry === 'string' ? { registryType: o.registry } : {}),
  };
}
