import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A docker-credential helper that behaves like the real ones: entries in a JSON file, `get` answers
 * {ServerURL, Username, Secret}, a miss is exit 1 with docker's not-found text on stdout, and every
 * verb is logged (server URL only, never the secret) so tests can see what ran.
 */
const FAKE_HELPER = `#!/usr/bin/env node
const fs = require('node:fs');
const file = process.env.FAKE_HELPER_STORE;
const load = () => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return {}; } };
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const action = process.argv[2];
  fs.appendFileSync(file + '.log', action + ' ' + (action === 'store' ? JSON.parse(input).ServerURL : input.trim()) + '\\n');
  const db = load();
  const miss = () => { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); };
  if (action === 'get') { const e = db[input.trim()]; if (!e) miss(); process.stdout.write(JSON.stringify({ ServerURL: input.trim(), ...e })); }
  else if (action === 'store') { const c = JSON.parse(input); db[c.ServerURL] = { Username: c.Username, Secret: c.Secret }; fs.writeFileSync(file, JSON.stringify(db)); }
  else if (action === 'erase') { if (!db[input.trim()]) miss(); delete db[input.trim()]; fs.writeFileSync(file, JSON.stringify(db)); }
  else if (action === 'list') { process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(db).map(([k, v]) => [k, v.Username])))); }
  else { process.stdout.write('unknown action: ' + action + '\\n'); process.exit(1); }
});
`;

export interface FakeCredentialHelper {
  /** Directory holding `docker-credential-<name>`; put it first on PATH. */
  dir: string;
  /** Environment to run clients with: PATH extended, and where the helper keeps its entries. */
  env: Record<string, string>;
  /** Entries by server URL. */
  entries(): Promise<Record<string, { Username: string; Secret: string }>>;
  /** Verbs run so far, e.g. `store 127.0.0.1:5000`. */
  log(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Writes `docker-credential-<name>` into a temp dir; `extra` adds further scripts by file name. */
export async function fakeCredentialHelper(name = 'fake', extra: Record<string, string> = {}): Promise<FakeCredentialHelper> {
  const dir = await mkdtemp(join(tmpdir(), 'nd-credhelper-'));
  const store = join(dir, 'store.json');
  for (const [file, body] of Object.entries({ [`docker-credential-${name}`]: FAKE_HELPER, ...extra })) {
    await writeFile(join(dir, file), body);
    await chmod(join(dir, file), 0o755);
  }
  const readText = (p: string): Promise<string> => readFile(p, 'utf8').catch(() => '');
  return {
    dir,
    env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, FAKE_HELPER_STORE: store },
    entries: async () => JSON.parse((await readText(store)) || '{}') as Record<string, { Username: string; Secret: string }>,
    log: async () => (await readText(`${store}.log`)).split('\n').filter(Boolean),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
