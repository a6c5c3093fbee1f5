import type { AccessEntry } from './types.js';

/**
 * Parse `repository:name:pull,push`. The name may hold a registry port (`host:5000/x`), so
 * the type ends at the first colon and the actions start after the last one.
 */
export function parseScope(scope: string): AccessEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

/** Merge entries for the same resource, as clients may ask for one repo twice. */
export function mergeAccess(entries: AccessEntry[]): AccessEntry[] {
  const byKey = new Map<string, AccessEntry>();
  for (const e of entries) {
    const key = `${e.type}\u0000${e.name}`;
    const existing = byKey.get(key);
    if (existing) {
      for (const a of e.actions) if (!existing.actions.includes(a)) existing.actions.push(a);
    } else {
      byKey.set(key, { type: e.type, name: e.name, actions: [...e.actions] });
    }
  }
  return [...byKey.values()];
}
