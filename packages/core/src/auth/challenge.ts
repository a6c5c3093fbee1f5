/** One challenge from a `WWW-Authenticate` header (RFC 9110 §11.6.1). */
export interface AuthChallenge {
  /** Lower-cased: `bearer`, `basic`, … */
  scheme: string;
  /** Parameter names lower-cased; values unquoted and unescaped. */
  params: Record<string, string>;
  /** The `token68` form some schemes use instead of parameters. */
  token68?: string;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses every challenge in a header value. Several `WWW-Authenticate` headers arrive joined by ", "
 * (that is what `Headers.get` does), so commas separate both challenges and parameters; a token
 * followed by `=` is a parameter of the current challenge, any other token starts a new challenge.
 * Garbage is skipped rather than thrown on: a half-understood challenge still beats none.
 */
export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  if (!header) return [];
  const s = header;
  const out: AuthChallenge[] = [];
  let i = 0;
  let current: AuthChallenge | undefined;

  const skipSpaces = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < s.length && TOKEN_CHAR.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const readQuoted = (): string => {
    i++; // opening quote
    let value = '';
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      value += s[i];
      i++;
    }
    i++; // closing quote (or end of input for an unterminated string)
    return value;
  };

  while (i < s.length) {
    while (i < s.length && (s[i] === ',' || s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) break;
    const token = readToken();
    if (!token) {
      i++;
      continue;
    }
    skipSpaces();
    if (s[i] === '=' && current) {
      let equals = 0;
      while (s[i + equals] === '=') equals++;
      const after = i + equals;
      let rest = after;
      while (rest < s.length && (s[rest] === ' ' || s[rest] === '\t')) rest++;
      if (equals > 1 || rest >= s.length || s[rest] === ',') {
        // `abc==`: token68 padding, not a parameter
        if (current.token68 === undefined && Object.keys(current.params).length === 0) current.token68 = token + '='.repeat(equals);
        i = after;
        continue;
      }
      i = rest;
      const value = s[i] === '"' ? readQuoted() : readToken();
      current.params[token.toLowerCase()] = value;
    } else if (s[i] === '=') {
      i++; // a parameter before any scheme: nothing to attach it to
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}

/** The challenge this client acts on: Bearer over Basic, since Bearer carries the token service. */
export function pickChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
