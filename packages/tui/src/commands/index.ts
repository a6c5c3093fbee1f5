import { parsePositiveInteger } from '../flags/integer.js';
import type { CommandSpec, OptionSpec } from './types.js';

const pageSize: OptionSpec = {
  flags: '--page-size <n>',
  description: 'entries to ask the registry for per page (default: the registry\'s own page size)',
  parse: parsePositiveInteger,
};

/**
 * THE command table: parsing, `--help` and dispatch are all driven from these rows. Each row's
 * `load` is a dynamic import so start-up (and `--help`) never loads a command it does not run.
 */
export const commands: readonly CommandSpec[] = [
  {
    name: 'inspect',
    summary: 'show the digest, media type, size, platforms and layers of an image',
    arguments: [{ name: 'REF', description: 'image reference, e.g. ghcr.io/acme/app:v1 or alpine@sha256:…' }],
    options: [{ flags: '--raw', description: 'print the manifest bytes exactly as the registry sent them' }],
    json: true,
    examples: ['nextdeploy-tui inspect alpine:3.20', 'nextdeploy-tui inspect --raw ghcr.io/acme/app@sha256:… > manifest.json'],
    load: () => import('./inspect.js'),
  },
  {
    name: 'tags',
    summary: 'list every tag of a repository',
    arguments: [{ name: 'REPO', description: 'repository, e.g. ghcr.io/acme/app (no tag)' }],
    options: [pageSize],
    json: true,
    examples: ['nextdeploy-tui tags ghcr.io/acme/app'],
    load: () => import('./tags.js'),
  },
  {
    name: 'catalog',
    summary: 'list every repository of a registry',
    arguments: [{ name: 'REGISTRY', description: 'registry host[:port], e.g. registry.example.com:5000' }],
    options: [pageSize],
    json: true,
    examples: ['nextdeploy-tui catalog localhost:5000'],
    load: () => import('./catalog.js'),
  },
  {
    name: 'delete',
    summary: 'delete an image manifest (a tag is resolved to its digest first)',
    description:
      'Delete an image manifest. A tag is first resolved to the digest it points at and the manifest is ' +
      'deleted by digest, as registries require; every tag pointing at that digest goes with it.',
    arguments: [{ name: 'REF', description: 'image reference with a tag or digest' }],
    json: true,
    examples: ['nextdeploy-tui delete registry.example.com/acme/app:old'],
    load: () => import('./delete.js'),
  },
  {
    name: 'login',
    summary: 'verify credentials for a registry, then save them in docker\'s config.json',
    description:
      'Verify a username and password (or token) against a registry and, only once the registry accepts ' +
      'them, save them in docker\'s config.json ($DOCKER_CONFIG/config.json, default ~/.docker/config.json, ' +
      'mode 0600). Docker Hub credentials are stored under https://index.docker.io/v1/ as docker does.',
    arguments: [{ name: 'HOST', description: 'registry host[:port], e.g. ghcr.io or docker.io' }],
    options: [
      { flags: '-u, --username <user>', description: 'user name' },
      { flags: '--password-stdin', description: 'read the password or token from standard input' },
      { flags: '-p, --password <password>', description: 'password on the command line (insecure: visible to other users and kept in shell history)' },
    ],
    examples: ['echo "$TOKEN" | nextdeploy-tui login ghcr.io -u octocat --password-stdin'],
    load: () => import('./login.js'),
  },
  {
    name: 'logout',
    summary: 'remove the saved credentials for a registry from docker\'s config.json',
    arguments: [{ name: 'HOST', description: 'registry host[:port]' }],
    examples: ['nextdeploy-tui logout ghcr.io'],
    load: () => import('./logout.js'),
  },
  {
    name: 'profiles',
    summary: 'list the profiles of the configuration, where it was found, and any that cannot be used',
    arguments: [],
    json: true,
    examples: ['nextdeploy-tui profiles', 'nextdeploy-tui --config team.yaml profiles --json'],
    load: () => import('./profiles.js'),
  },
  {
    name: 'plugins',
    summary: 'list the provider plugins that were loaded, from where, and those that failed to load',
    arguments: [],
    json: true,
    examples: ['nextdeploy-tui plugins'],
    load: () => import('./plugins.js'),
  },
  {
    name: 'config',
    summary: 'check a configuration file: syntax, structure, plugins and every profile\'s options',
    description:
      'Check a configuration file (the one found by searching up from the current directory, the ' +
      '--config file, or FILE): syntax, structure, that every plugin loads and that every profile\'s ' +
      'options are valid for its provider. Exits non-zero when anything would be unusable.',
    arguments: [
      { name: 'ACTION', description: 'validate' },
      { name: 'FILE', description: 'config file to check instead of searching for one', required: false },
    ],
    json: true,
    examples: ['nextdeploy-tui config validate', 'nextdeploy-tui config validate ./.nextdeployrc.yaml'],
    load: () => import('./config.js'),
  },
];
