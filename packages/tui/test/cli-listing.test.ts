import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pushRandomImage, skopeoCreds, skopeoOk, startFaultProxy, startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

let reg: TestRegistry;
let home: Awaited<ReturnType<typeof makeHome>>;
const REPOS = ['a/one', 'a/two', 'b/three', 'c', 'd/e/f'];

beforeAll(async () => {
  home = await makeHome();
  reg = await startRegistry();
  const first = await pushRandomImage(reg, `${REPOS[0]}:v1`);
  for (const repo of REPOS.slice(1)) {
    await skopeoOk(['copy', '--quiet', '--preserve-digests', ...skopeoCreds(reg, 'src'), ...skopeoCreds(reg, 'dest'), `docker://${first.reference}`, `docker://${reg.host}/${repo}:v1`]);
  }
});
afterAll(() => home.remove());

describe('catalog', () => {
  it('follows Link pages of the real registry (--page-size 2 over 5 repositories)', async () => {
    const r = await runCli(['--debug', 'catalog', '--page-size', '2', reg.host], { home: home.dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual([...REPOS].sort());
    expect(r.stderr.match(/debug: GET \S+\/v2\/_catalog/g)).toHaveLength(3);
  });

  it('--json prints one document', async () => {
    const r = await runCli(['catalog', '--json', reg.host], { home: home.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ registry: reg.host, repositories: [...REPOS].sort() });
  });
});

describe('tags', () => {
  /** distribution 2.8 ignores `n` on tags/list, so a proxy answers it in pages the way newer registries do. */
  const TAGS = Array.from({ length: 250 }, (_, i) => `t${String(i).padStart(3, '0')}`);
  const PAGE = 100;
  function pagedTags(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const last = url.searchParams.get('last');
    const start = last ? TAGS.indexOf(last) + 1 : 0;
    const page = TAGS.slice(start, start + PAGE);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (start + PAGE < TAGS.length) headers.link = `</v2/paged/tags/list?n=${PAGE}&last=${page[page.length - 1]}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify({ name: 'paged', tags: page }));
  }

  it('streams every page in order', async () => {
    const proxy = await startFaultProxy({ target: reg, fault: (req) => (req.url?.startsWith('/v2/paged/tags/list') ? pagedTags : 'pass') });
    const r = await runCli(['tags', `${proxy.host}/paged`], { home: home.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(TAGS);
    expect(proxy.events.filter((e) => e.url.includes('/tags/list'))).toHaveLength(3);

    const json = await runCli(['tags', '--json', `${proxy.host}/paged`], { home: home.dir });
    expect(JSON.parse(json.stdout)).toEqual({ repository: `${proxy.host}/paged`, tags: TAGS });
  });

  it('lists the tags of a real repository', async () => {
    const r = await runCli(['tags', '--json', `${reg.host}/a/one`], { home: home.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ repository: `${reg.host}/a/one`, tags: ['v1'] });
  });

  it('a repository that does not exist exits 4', async () => {
    const r = await runCli(['tags', `${reg.host}/no/such`], { home: home.dir });
    expect(r.code).toBe(4);
    expect(expectOneErrorLine(r)).toContain(`${reg.host}/no/such`);
  });
});
