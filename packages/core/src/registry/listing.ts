import { NextdeployError } from '../errors/index.js';
import { isEcrHost } from '../reference/hosts.js';
import { apiPath, scopes, type CallOptions, type ClientContext } from './context.js';
import { nextLink } from './link-header.js';
import { expectStatus } from './response.js';

/** ECR rejects `n` above 1000 outright instead of clamping it. */
const ECR_MAX_PAGE_SIZE = 1000;
/** Tag and catalog bodies are small JSON; a cap keeps a broken registry from exhausting memory. */
const PAGE_BODY_LIMIT = 32 * 1024 * 1024;

export interface PageOptions extends CallOptions {
  /** `n`: how many entries to ask for per page; the registry may send fewer. */
  pageSize?: number;
  /** `next` from a previous page, to continue from there. */
  cursor?: string;
}

export interface Page {
  items: string[];
  /** Cursor for the following page; absent on the last one. */
  next?: string;
}

export async function listTagsPage(ctx: ClientContext, repo: string, options: PageOptions = {}): Promise<Page> {
  return fetchPage(ctx, apiPath(repo, 'tags', 'list'), 'tags', scopes.pull(repo), `tags of ${ctx.registry}/${repo}`, options);
}

export async function catalogPage(ctx: ClientContext, options: PageOptions = {}): Promise<Page> {
  return fetchPage(ctx, '/v2/_catalog', 'repositories', scopes.catalog(), `catalog of ${ctx.registry}`, options);
}

/** Every tag, page by page, following `Link: <…>; rel="next"`. */
export function listTags(ctx: ClientContext, repo: string, options: Omit<PageOptions, 'cursor'> = {}): AsyncIterable<string> {
  return paginate((cursor) => listTagsPage(ctx, repo, { ...options, ...(cursor ? { cursor } : {}) }));
}

/** Every repository the credentials may see, page by page. */
export function catalog(ctx: ClientContext, options: Omit<PageOptions, 'cursor'> = {}): AsyncIterable<string> {
  return paginate((cursor) => catalogPage(ctx, { ...options, ...(cursor ? { cursor } : {}) }));
}

async function* paginate(fetchOne: (cursor: string | undefined) => Promise<Page>): AsyncGenerator<string> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await fetchOne(cursor);
    yield* page.items;
    cursor = page.next;
    if (cursor !== undefined) {
      // A registry that links back to a page already read would otherwise loop forever.
      if (seen.has(cursor)) throw new NextdeployError('PAGINATION_LOOP', `registry pagination links back to ${cursor.replace(/[?#].*$/, '')}; stopping`);
      seen.add(cursor);
    }
  } while (cursor !== undefined);
}

async function fetchPage(
  ctx: ClientContext,
  path: string,
  field: 'tags' | 'repositories',
  requestScopes: string[],
  what: string,
  options: PageOptions,
): Promise<Page> {
  const url = options.cursor ?? withPageSize(ctx, path, options.pageSize);
  const res = await ctx.transport.request({ method: 'GET', url, headers: { accept: 'application/json' }, scopes: requestScopes, signal: options.signal });
  await expectStatus(res, [200], 'GET', what);
  const body = await res.json<Record<string, unknown>>(PAGE_BODY_LIMIT);
  // distribution answers `"tags": null` for a repository whose manifests were all deleted.
  const raw = body?.[field];
  const items = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
  const next = nextLink(res.headers.get('link'), res.url);
  return next ? { items, next } : { items };
}

function withPageSize(ctx: ClientContext, path: string, pageSize: number | undefined): string {
  if (pageSize === undefined) return path;
  const n = isEcrHost(ctx.registry) ? Math.min(pageSize, ECR_MAX_PAGE_SIZE) : pageSize;
  return `${path}?n=${Math.max(1, Math.floor(n))}`;
}
