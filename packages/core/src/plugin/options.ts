import { isAbsolute, resolve as resolvePath } from 'node:path';
import { ConfigError } from '../errors/index.js';

/**
 * A deliberately tiny schema for profile options: enough to validate a config file and tell the
 * user which field is wrong, without making every plugin ship a JSON-schema engine.
 */
interface OptionBase {
  description: string;
  required?: boolean;
  /**
   * The value is a secret. A secret written literally in a config file is accepted but warned
   * about; the usual place for it is the environment variable named by `env`.
   */
  secret?: boolean;
  /** Environment variable read when the option is not set in the profile. */
  env?: string;
}

export interface StringOption extends OptionBase { type: 'string'; default?: string }
/** A file path; relative paths are resolved against the directory of the config file that set them. */
export interface PathOption extends OptionBase { type: 'path'; default?: string }
export interface BooleanOption extends OptionBase { type: 'boolean'; default?: boolean }
export interface NumberOption extends OptionBase { type: 'number'; default?: number; min?: number; max?: number; integer?: boolean }
export interface EnumOption extends OptionBase { type: 'enum'; values: readonly string[]; default?: string }

export type OptionSpec = StringOption | PathOption | BooleanOption | NumberOption | EnumOption;
export type ProviderOptionsSpec = Readonly<Record<string, OptionSpec>>;

export interface ValidateOptionsInput {
  /** Where the options come from, for messages: e.g. `profile "ghcr"`. */
  where: string;
  /** The config file, so errors point at it and relative paths resolve against it. */
  file?: string;
  /** Base directory for `path` options (default: the config file's directory, else cwd). */
  baseDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ValidatedOptions {
  values: Record<string, unknown>;
  /** Non-fatal findings, e.g. a secret written in plain text. */
  warnings: string[];
}

/** Checks raw profile options against a spec; throws `ConfigError` naming the first bad field. */
export function validateProviderOptions(
  spec: ProviderOptionsSpec,
  raw: Readonly<Record<string, unknown>>,
  input: ValidateOptionsInput,
): ValidatedOptions {
  const env = input.env ?? {};
  const fail = (message: string): never => {
    throw new ConfigError(`${input.where}: ${message}`, input.file ? { file: input.file } : {});
  };
  const values: Record<string, unknown> = {};
  const warnings: string[] = [];

  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(spec, key)) {
      const known = Object.keys(spec);
      fail(`unknown option "${key}"${known.length ? ` (known: ${known.join(', ')})` : ' (this provider takes no options)'}`);
    }
  }

  for (const [key, option] of Object.entries(spec)) {
    let value = raw[key];
    let fromEnv = false;
    if (value === undefined || value === null) {
      const envValue = option.env ? env[option.env] : undefined;
      if (envValue !== undefined && envValue !== '') {
        value = envValue;
        fromEnv = true;
      }
    } else if (option.secret) {
      warnings.push(`${input.where}: option "${key}" holds a secret in plain text${option.env ? `; set ${option.env} instead` : ''}`);
    }
    if (value === undefined || value === null) {
      if (option.default !== undefined) values[key] = option.default;
      else if (option.required) fail(`option "${key}" is required${option.env ? ` (or set ${option.env})` : ''}: ${option.description}`);
      continue;
    }
    values[key] = coerce(key, option, value, fromEnv, fail, input);
  }
  return { values, warnings };
}

function coerce(
  key: string,
  option: OptionSpec,
  value: unknown,
  fromEnv: boolean,
  fail: (message: string) => never,
  input: ValidateOptionsInput,
): unknown {
  const source = fromEnv ? `environment variable ${option.env}` : `option "${key}"`;
  switch (option.type) {
    case 'string':
      if (typeof value !== 'string') return fail(`${source} must be a string, got ${describe(value)}`);
      return value;
    case 'path': {
      if (typeof value !== 'string' || value === '') return fail(`${source} must be a file path, got ${describe(value)}`);
      if (isAbsolute(value)) return value;
      const base = input.baseDir ?? (input.file ? resolvePath(input.file, '..') : process.cwd());
      return resolvePath(base, value);
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (fromEnv && /^(1|true|yes)$/i.test(String(value))) return true;
      if (fromEnv && /^(0|false|no)$/i.test(String(value))) return false;
      return fail(`${source} must be true or false, got ${describe(value)}`);
    case 'number': {
      const n = typeof value === 'number' ? value : fromEnv ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) return fail(`${source} must be a number, got ${describe(value)}`);
      if (option.integer && !Number.isInteger(n)) return fail(`${source} must be a whole number, got ${n}`);
      if (option.min !== undefined && n < option.min) return fail(`${source} must be at least ${option.min}, got ${n}`);
      if (option.max !== undefined && n > option.max) return fail(`${source} must be at most ${option.max}, got ${n}`);
      return n;
    }
    case 'enum':
      if (typeof value !== 'string' || !option.values.includes(value)) {
        return fail(`${source} must be one of ${option.values.join(', ')}, got ${describe(value)}`);
      }
      return value;
  }
}

/** Names the type of a bad value without echoing it: it may be a secret typed into the wrong field. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
