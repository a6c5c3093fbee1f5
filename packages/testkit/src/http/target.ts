/** Anything that listens on loopback: a TestRegistry, a recording server, another proxy, or a URL. */
export type ProxyTarget = string | { url: string };

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]|::1)$/;

/**
 * Resolve a proxy target to host+port, refusing anything off loopback: test traffic must never
 * leave this machine.
 */
export function loopbackTarget(target: ProxyTarget): { hostname: string; port: number } {
  const raw = typeof target === 'string' ? target : target.url;
  const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  if (!LOOPBACK.test(url.hostname)) {
    throw new Error(`proxy target ${url.hostname} is not a loopback address; point it at 127.0.0.1`);
  }
  const port = Number(url.port || 80);
  return { hostname: url.hostname.replace(/^\[|\]$/g, ''), port };
}
