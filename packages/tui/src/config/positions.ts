import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Where JSON.parse stopped. V8 reports "... in JSON at position N" (and on newer Node also
 * "(line L column C)"); "Unexpected end of JSON input" means the last line.
 */
export function jsonErrorLine(text: string, message: string): number {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const position = /at position (\d+)/.exec(message);
  if (position) return lineOfOffset(text, Number(position[1]));
  return lineOfOffset(text, text.trimEnd().length);
}

/** js-yaml errors carry a 0-based `mark.line`. */
export function yamlErrorLine(err: unknown): number | undefined {
  const mark = (err as { mark?: { line?: unknown } } | undefined)?.mark;
  return typeof mark?.line === 'number' ? mark.line + 1 : undefined;
}

/** A JS/TS config's syntax or runtime error names `file:line` in its stack; pick the first for this file. */
export function scriptErrorLine(err: unknown, file: string): number | undefined {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  for (const prefix of [pathToFileURL(file).href, file]) {
    const m = new RegExp(`${escapeRegExp(prefix)}(?:\\.[0-9a-f-]+\\.mjs)?:(\\d+)`).exec(stack);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Node 20 keeps an ES module's syntax-error position out of the error object (it only prints it
 * when the error is uncaught), so on that path alone we ask `node --check`, which prints `file:line`.
 */
export function syntaxErrorLine(err: unknown, file: string): number | undefined {
  if ((err as Error | undefined)?.name !== 'SyntaxError') return undefined;
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  return scriptErrorLine(Object.assign(new Error(), { stack: check.stderr ?? '' }), file);
}
