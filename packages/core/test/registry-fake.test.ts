import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DigestMismatchError,
  ManifestError,
  MediaType,
  NextdeployError,
  RegistryError,
  computeDigest,
  createRegistryClient,
  createTransport,
  nextLink,
  parseLinkHeader,
  type RegistryClient,
} from '../src/index.js';

/**
 * An in-process registry impostor for behaviours a real registry never shows: multi-page tag
 * lists, lying content, lagging upload ranges. Everything a real registry does is tested in
 * registry-integration.test.ts.
 */
type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  length: number;
}

let server: Server;
let host: string;
let handler: Handler = (_req, _body, res) => res.writeHead(500).end();
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, length: body.length });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
});

const client = (): RegistryClient => createRegistryClient(host, { retry: { retries: 0 } });
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('Link header parsing', () => {
  it.each([
    ['</v2/a/tags/list?n=2&last=b>; rel="next"', [{ url: '/v2/a/tags/list?n=2&last=b', params: { rel: 'next' } }]],
    ['<https://x/a?b=1,2>; title="a, b"; REL=next, <https://x/p>; rel=prev', [
      { url: 'https://x/a?b=1,2', params: { title: 'a, b', rel: 'next' } },
      { url: 'https://x/p', params: { rel: 'prev' } },
    ]],
    ['<u>; rel="prev next"; title="q\\"uote"', [{ url: 'u', params: { rel: 'prev next', title: 'q"uote' } }]],
    ['garbage', []],
  ])('%s', (header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });

  it('resolves the next link against the responding URL', () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"', 'http://h:5000/v2/_catalog?n=2')).toBe('http://h:5000/v2/_catalog?last=b&n=2');
    expect(nextLink('<https://cdn/x>; rel="next"', 'http://h/v2/')).toBe('https://cdn/x');
    expect(nextLink('<https://cdn/x>; rel="prev"', 'http://h/v2/')).toBeUndefined();
    expect(nextLink(null, 'http://h/v2/')).toBeUndefined();
  });
});

describe('pagination', () => {
  it('follows relative and absolute next links across three pages', async () => {
    handler = (req, _body, res) => {
      const url = new URL(req.url!, `http://${host}`);
      const last = url.searchParams.get('last');
      if (!last) return json(res, 200, { name: 'app', tags: ['a', 'b'] }, { link: '</v2/app/tags/list?n=2&last=b>; rel="next"' });
      if (last === 'b') return json(res, 200, { name: 'app', tags: ['c', 'd'] }, { link: `<http://${host}/v2/app/tags/list?n=2&last=d>; rel="next"` });
      return json(res, 200, { name: 'app', tags: ['e'] });
    };
    expect(await collect(client().tags('app', { pageSize: 2 }))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(seen.map((s) => s.url)).toEqual(['/v2/app/tags/list?n=2', '/v2/app/tags/list?n=2&last=b', '/v2/app/tags/list?n=2&last=d']);

    const page = await client().listTagsPage('app', { pageSize: 2 });
    expect(page).toEqual({ items: ['a', 'b'], next: `http://${host}/v2/app/tags/list?n=2&last=b` });
    expect((await client().listTagsPage('app', { cursor: page.next! })).items).toEqual(['c', 'd']);
  });

  it('treats "tags": null as no tags and follows catalog links with extra parameters', async () => {
    handler = (req, _body, res) => {
      if (req.url!.startsWith('/v2/gone/')) return json(res, 200, { name: 'gone', tags: null });
      if (req.url === '/v2/_catalog?n=1') return json(res, 200, { repositories: ['x'] }, { link: '</v2/_catalog?last=x&n=1>; title="more"; rel="next"' });
      return json(res, 200, { repositories: ['y'] });
    };
    expect(await collect(client().tags('gone'))).toEqual([]);
    expect(await collect(client().catalog({ pageSize: 1 }))).toEqual(['x', 'y']);
  });

  it('stops with an error when a registry links back to a page already read', async () => {
    handler = (_req, _body, res) => json(res, 200, { tags: ['a'] }, { link: '</v2/app/tags/list?last=a>; rel="next"' });
    await expect(collect(client().tags('app'))).rejects.toThrow(NextdeployError);
  });

  it('caps the page size at 1000 for ECR hosts', async () => {
    handler = (_req, _body, res) => json(res, 200, { tags: [] });
    const real = createTransport(host, { retry: { retries: 0 } });
    const ecr = createRegistryClient('123456789012.dkr.ecr.eu-west-1.amazonaws.com', {
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      baseUrl: real.baseUrl,
      request: (req) => real.request(req),
    });
    await ecr.listTagsPage('app', { pageSize: 5000 });
    await client().listTagsPage('app', { pageSize: 5000 });
    expect(seen.map((s) => s.url)).toEqual(['/v2/app/tags/list?n=1000', '/v2/app/tags/list?n=5000']);
  });
});

describe('content that does not match its digest', () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] }));
  const digest = computeDigest(manifest);
  const other = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [], x: 1 }));

  it('rejects a manifest fetched by digest whose bytes hash differently', async () => {
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': MediaType.OciIndex }).end(other);
    await expect(client().getManifest('app', digest)).rejects.toThrow(DigestMismatchError);
  });

  it('rejects a tag whose bytes disagree with Docker-Content-Digest, and trusts computed sha256 without it', async () => {
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': MediaType.OciIndex, 'docker-content-digest': digest }).end(other);
    await expect(client().getManifest('app', 'v1')).rejects.toThrow(/Docker-Content-Digest.*expected sha256/);
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': MediaType.OciIndex }).end(manifest);
    const got = await client().getManifest('app', 'v1');
    expect(got).toMatchObject({ digest, mediaType: MediaType.OciIndex, size: manifest.length });
  });

  it('refuses manifests over 4 MiB, declared or streamed', async () => {
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    handler = (_req, _body, res) => res.writeHead(200, { 'content-type': MediaType.OciIndex }).end(huge);
    await expect(client().getManifest('app', 'v1')).rejects.toThrow(ManifestError);
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': MediaType.OciIndex });
      res.write(huge.subarray(0, 3 * 1024 * 1024));
      res.end(huge.subarray(3 * 1024 * 1024));
    };
    await expect(client().getManifest('app', 'v1')).rejects.toThrow(/larger than 4194304 bytes/);
  });

  it('fails the blob stream when the bytes are wrong or short, and a wrong Content-Length up front', async () => {
    const good = Buffer.from('the real layer');
    const blobDigest = computeDigest(good);
    handler = (_req, _body, res) => res.writeHead(200).end(Buffer.from('a fake layer!!'));
    await expect(readAll(await client().getBlob('app', blobDigest))).rejects.toThrow(DigestMismatchError);

    handler = (_req, _body, res) => {
      res.writeHead(200);
      res.end(good.subarray(0, 5));
    };
    await expect(readAll(await client().getBlob('app', blobDigest, { expectedSize: good.length }))).rejects.toThrow(/14 bytes but got 5 bytes/);

    handler = (_req, _body, res) => res.writeHead(200, { 'content-length': String(good.length) }).end(good);
    await expect(client().getBlob('app', blobDigest, { expectedSize: 99 })).rejects.toThrow(/Content-Length.*99 bytes/);
    let progress = 0;
    const ok = await readAll(await client().getBlob('app', blobDigest, { onBytes: (n) => (progress += n) }));
    expect(ok.equals(good)).toBe(true);
    expect(progress).toBe(good.length);
  });
});

describe('uploads', () => {
  it('honours OCI-Chunk-Min-Length and resumes from the Range the registry reports', async () => {
    const data = Buffer.alloc(100_000, 7);
    const digest = computeDigest(data);
    let held = 0;
    let lagged = false;
    handler = (req, body, res) => {
      const location = `/v2/app/blobs/uploads/u1?_state=abc`;
      if (req.method === 'POST') return res.writeHead(202, { location, range: '0-0', 'oci-chunk-min-length': '40000' }).end();
      if (req.method === 'PATCH') {
        const [start] = String(req.headers['content-range']).split('-').map(Number);
        if (start !== held) return res.writeHead(416).end();
        // the first chunk is only half taken, as a registry behind a flaky proxy may answer
        const take = lagged ? body.length : body.length / 2;
        lagged = true;
        held += take;
        return res.writeHead(202, { location, range: `0-${held - 1}` }).end();
      }
      if (req.method === 'PUT') return res.writeHead(201, { 'docker-content-digest': digest }).end();
      return res.writeHead(500).end();
    };
    let progress = 0;
    await client().uploadBlob('app', { digest, size: data.length }, data, { chunkSize: 1000, onBytes: (n) => (progress += n) });
    const patches = seen.filter((s) => s.method === 'PATCH');
    expect(patches.map((p) => p.headers['content-range'])).toEqual(['0-39999', '20000-59999', '60000-99999']);
    const put = seen.find((s) => s.method === 'PUT')!;
    expect(put.url).toBe(`/v2/app/blobs/uploads/u1?_state=abc&digest=${encodeURIComponent(digest)}`);
    expect(progress).toBe(data.length);
  });

  it('resumes a stream body from an earlier offset by reopening it', async () => {
    const data = Buffer.from('0123456789abcdefghij');
    const digest = computeDigest(data);
    let held = 0;
    const received: string[] = [];
    handler = (req, body, res) => {
      if (req.method === 'POST') return res.writeHead(202, { location: `http://${host}/v2/app/blobs/uploads/u2` }).end();
      if (req.method === 'PATCH') {
        received.push(body.toString());
        // lose everything past byte 5 once, after the second chunk
        held = received.length === 2 ? 5 : held + body.length;
        return res.writeHead(202, { range: `0-${held - 1}` }).end();
      }
      return res.writeHead(201).end();
    };
    const { Readable } = await import('node:stream');
    await client().uploadBlob('app', { digest, size: data.length }, () => Readable.from([data.subarray(0, 3), data.subarray(3)]), { chunkSize: 8 });
    expect(received).toEqual(['01234567', '89abcdef', '56789abc', 'defghij']);
  });

  it('cancels the session with DELETE when the final PUT is refused', async () => {
    const data = Buffer.from('payload');
    handler = (req, _body, res) => {
      if (req.method === 'POST') return res.writeHead(202, { location: '/v2/app/blobs/uploads/u3' }).end();
      if (req.method === 'PUT') return json(res, 400, { errors: [{ code: 'DIGEST_INVALID', message: 'digest did not match' }] });
      return res.writeHead(204).end();
    };
    const err = await client().uploadBlob('app', { digest: computeDigest('other'), size: data.length }, data).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).hasCode('DIGEST_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/source content is corrupt/);
    expect(seen.map((s) => `${s.method} ${s.url.replace(/\?.*/, '')}`)).toEqual([
      'POST /v2/app/blobs/uploads/',
      'PUT /v2/app/blobs/uploads/u3',
      'DELETE /v2/app/blobs/uploads/u3',
    ]);
  });

  it('refuses a body whose length differs from the declared size before sending anything', async () => {
    await expect(client().uploadBlob('app', { digest: computeDigest('abc'), size: 4 }, Buffer.from('abc'))).rejects.toThrow(DigestMismatchError);
    expect(seen).toEqual([]);
  });
});

describe('referrers API', () => {
  const d = (c: string) => `sha256:${c.repeat(64)}` as const;
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: [
      { mediaType: MediaType.OciManifest, digest: d('1'), size: 1, artifactType: 'application/sig' },
      { mediaType: MediaType.OciManifest, digest: d('2'), size: 1, artifactType: 'application/sbom' },
    ],
  };

  it('filters client-side unless the registry says it applied the filter', async () => {
    handler = (_req, _body, res) => json(res, 200, index, { 'content-type': MediaType.OciIndex });
    expect((await client().referrers('app', d('a'), { artifactType: 'application/sbom' })).map((x) => x.digest)).toEqual([d('2')]);
    expect(seen[0]!.url).toBe(`/v2/app/referrers/${d('a')}?artifactType=application%2Fsbom`);
    handler = (_req, _body, res) => json(res, 200, index, { 'content-type': MediaType.OciIndex, 'oci-filters-applied': 'artifactType' });
    expect(await client().referrers('app', d('a'), { artifactType: 'application/sbom' })).toHaveLength(2);
  });
});
