/** One link of an RFC 8288 (formerly 5988) `Link` header. */
export interface Link {
  url: string;
  params: Record<string, string>;
}

/**
 * Parses `<url>; rel="next"; title="x", <url2>; rel=prev`. Commas inside `<…>` or quoted values
 * do not split links, parameter names are case-insensitive, and quoted values are unescaped.
 */
export function parseLinkHeader(header: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  const n = header.length;
  while (i < n) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open + 1);
    if (close < 0) break;
    const link: Link = { url: header.slice(open + 1, close).trim(), params: {} };
    i = close + 1;
    // parameters until the next top-level comma
    while (i < n) {
      while (i < n && /[\s;]/.test(header[i]!)) i++;
      if (i >= n || header[i] === ',') break;
      const nameStart = i;
      while (i < n && !/[=;,\s]/.test(header[i]!)) i++;
      const name = header.slice(nameStart, i).toLowerCase();
      while (i < n && /\s/.test(header[i]!)) i++;
      let value = '';
      if (header[i] === '=') {
        i++;
        while (i < n && /\s/.test(header[i]!)) i++;
        if (header[i] === '"') {
          i++;
          while (i < n && header[i] !== '"') {
            if (header[i] === '\\' && i + 1 < n) i++;
            value += header[i];
            i++;
          }
          i++;
        } else {
          const valueStart = i;
          while (i < n && !/[;,]/.test(header[i]!)) i++;
          value = header.slice(valueStart, i).trim();
        }
      }
      if (name && !(name in link.params)) link.params[name] = value;
    }
    links.push(link);
    if (header[i] === ',') i++;
  }
  return links;
}

/** The absolute URL of the `rel="next"` link, resolved against the URL that sent the header. */
export function nextLink(header: string | null, responseUrl: string): string | undefined {
  if (!header) return undefined;
  const next = parseLinkHeader(header).find((l) => l.params.rel?.toLowerCase().split(/\s+/).includes('next'));
  return next ? new URL(next.url, responseUrl).toString() : undefined;
}
