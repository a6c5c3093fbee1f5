import { timingSafeEqual, createHash } from 'node:crypto';

/** Compare through fixed-length hashes so the comparison time does not depend on the input. */
export function passwordMatches(users: Record<string, string>, user: string, password: string): boolean {
  const expected = Object.hasOwn(users, user) ? users[user] : undefined;
  if (expected === undefined) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(password));
}

/** Decode `Authorization: Basic ...`; undefined when absent or not Basic. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
