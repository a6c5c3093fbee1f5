/**
 * Token scopes (`type:name:actions`, e.g. `repository:library/alpine:pull,push`). Names may contain a
 * registry port (`repository:localhost:5000/foo:pull`), so actions are split off at the LAST colon.
 */
export interface ParsedScope {
  type: string;
  name: string;
  actions: string[];
}

export function parseScope(scope: string): ParsedScope | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope.slice(last + 1).split(',').filter(Boolean),
  };
}

/**
 * Merges scopes naming the same resource (pull + push -> `pull,push`), drops duplicates and sorts,
 * so one token covers a request's needs and the cache key is stable whatever the order asked in.
 */
export function mergeScopes(...lists: ReadonlyArray<readonly string[] | undefined>): string[] {
  const byResource = new Map<string, Set<string>>();
  const opaque = new Set<string>();
  for (const list of lists) {
    for (const raw of list ?? []) {
      for (const scope of raw.split(' ').filter(Boolean)) {
        const parsed = parseScope(scope);
        if (!parsed) {
          opaque.add(scope);
          continue;
        }
        const key = `${parsed.type}:${parsed.name}`;
        const actions = byResource.get(key) ?? new Set<string>();
        for (const a of parsed.actions) actions.add(a);
        byResource.set(key, actions);
      }
    }
  }
  const merged = [...byResource].map(([key, actions]) => `${key}:${[...actions].sort().join(',')}`);
  return [...merged, ...opaque].sort();
}

/** True when `have` grants every action `want` asks for. */
export function scopesCover(have: readonly string[], want: readonly string[]): boolean {
  const granted = new Map<string, Set<string>>();
  for (const s of have) {
    const p = parseScope(s);
    if (p) granted.set(`${p.type}:${p.name}`, new Set(p.actions));
  }
  return want.every((s) => {
    const p = parseScope(s);
    if (!p) return have.includes(s);
    const actions = granted.get(`${p.type}:${p.name}`);
    return !!actions && (actions.has('*') || p.actions.every((a) => actions.has(a)));
  });
}

/** The repository the scopes are about, so a keychain can answer per repository. */
export function repositoryOfScopes(scopes: readonly string[]): string | undefined {
  for (const s of scopes) {
    const p = parseScope(s);
    if (p?.type === 'repository') return p.name;
  }
  return undefined;
}
