import type { ResponseHeaderMap } from './http1/response-parser.js';

/**
 * Response headers with the WHATWG `Headers` interface, over the object our parser already built
 * (names lower-cased, repeats joined). The global `Headers` is not used because touching it
 * makes Node 20 load its internal copy of undici, ~15 ms of every CLI run.
 */
export class ResponseHeaders implements Headers {
  readonly #map = new Map<string, string>();
  /** Kept apart: cookies contain ", " themselves, so their joined form cannot be split again. */
  readonly #setCookies: string[];

  constructor(raw: ResponseHeaderMap = {}) {
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) this.#map.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const cookies = raw['set-cookie'];
    this.#setCookies = cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [cookies];
  }

  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.#map.set(name.toLowerCase(), String(value));
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const prev = this.#map.get(key);
    this.#map.set(key, prev === undefined ? String(value) : `${prev}, ${value}`);
  }

  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...this.#setCookies];
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /** Sorted by name, as `Headers` iterates. */
  *entries(): IterableIterator<[string, string]> {
    yield* [...this.#map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}
