import { collect } from '../flags/collect.js';
import { parsePositiveInteger } from '../flags/integer.js';
import type { CommandSpec, OptionSpec } from './types.js';

const pageSize: OptionSpec = {
  flags: '--page-size <n>',
  description: 'entries to ask the registry for per page (default: the registry\'s own page size)',
  parse: parsePositiveInteger,
};

const platform: OptionSpec = {
  flags: '--platform <os/arch[/variant]>',
  description: 'copy only this platform out of a multi-platform index (repeat to keep several as a smaller index)',
  parse: (value, previous) => collect(value, previous as string[] | undefined),
};

const jobs: OptionSpec = {
  flags: '--jobs <n>',
  description: 'blobs to transfer at once (default 8)',
  parse: parsePositiveInteger,
};

const TRANSPORT_HELP =
  'Locations: docker://HOST/REPO[:TAG|@DIGEST] (or a bare reference), oci:DIR[:TAG] (OCI image layout), ' +
  'docker-archive:FILE[:NAME:TAG] (docker save tarball).';

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
    name: 'copy',
    summary: 'copy an image between registries, OCI layouts and docker archives',
    description:
      'Copy an image from SRC to DST. ' + TRANSPORT_HELP + ' A multi-platform index is copied whole unless ' +
      '--platform picks one (the result is a plain manifest) or several (a new index). Blobs already at the ' +
      'destination are skipped, so an interrupted copy resumes; copies within one registry mount blobs instead of ' +
      'moving them. Manifests are stored byte for byte, so digests stay the same (Docker manifests stay Docker ' +
      'manifests in OCI layouts, where skopeo 1.9 would convert them).',
    arguments: [
      { name: 'SRC', description: 'source location' },
      { name: 'DST', description: 'destination location' },
    ],
    options: [platform, jobs],
    json: true,
    examples: [
      'nextdeploy-tui copy ghcr.io/acme/app:v1 registry.example.com/acme/app:v1',
      'nextdeploy-tui copy --platform linux/arm64 docker://alpine:3.20 oci:./alpine:3.20',
      'nextdeploy-tui copy docker-archive:app.tar:acme/app:v1 oci:./layout:v1',
    ],
    load: () => import('./copy.js'),
  },
  {
    name: 'pull',
    summary: 'save an image from a registry as a docker archive (docker load-able)',
    description:
      'Save an image from a registry as a docker save-format tarball, tagged with REF. The file is NAME.tar in ' +
      'the current directory unless -o is given (NAME: the last component of the repository). A multi-platform ' +
      'image is saved for this machine\'s platform (linux/<arch>) unless --platform says otherwise.',
    arguments: [{ name: 'REF', description: 'image reference, e.g. ghcr.io/acme/app:v1' }],
    options: [{ flags: '-o, --output <file>', description: 'archive to write (default NAME.tar)' }, { ...platform, description: 'platform to save (default linux/<this machine\'s arch>)' }, jobs],
    json: true,
    examples: ['nextdeploy-tui pull alpine:3.20', 'nextdeploy-tui pull -o app.tar ghcr.io/acme/app:v1'],
    load: () => import('./pull.js'),
  },
  {
    name: 'push',
    summary: 'push a docker archive (docker save tarball) to a registry',
    description:
      'Push the image in a docker save-format tarball to REF. Uncompressed layers are gzipped on the way, so the ' +
      'pushed manifest has new layer digests while the config (and its diff_ids) stays the same.',
    arguments: [
      { name: 'FILE', description: 'docker archive; FILE:NAME:TAG or FILE:@N picks one image from an archive holding several' },
      { name: 'REF', description: 'destination image reference' },
    ],
    options: [jobs],
    json: true,
    examples: ['nextdeploy-tui push app.tar registry.example.com/acme/app:v1'],
    load: () => import('./push.js'),
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
