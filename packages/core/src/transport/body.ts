import { Readable } from 'node:stream';
import type { RequestBody } from './types.js';

/** A request body that knows whether it can be sent again (for a retry, redirect or auth replay). */
export interface PreparedBody {
  /** The payload for one send. */
  open(): string | Uint8Array | Readable | undefined;
  /** False once a bare stream has been handed out and read from. */
  replayable(): boolean;
}

export function prepareBody(body: RequestBody | undefined): PreparedBody {
  if (body === undefined) return { open: () => undefined, replayable: () => true };
  if (typeof body === 'function') return { open: body, replayable: () => true };
  if (!(body instanceof Readable)) return { open: () => body, replayable: () => true };
  // A stream nobody read from yet (e.g. the connection failed first) can still be sent once.
  return {
    open: () => body,
    replayable: () => !body.readableDidRead && !body.destroyed,
  };
}

/** True for a body that can never be sent twice, whatever has happened to it so far. */
export function isOneShot(body: RequestBody | undefined): boolean {
  return body instanceof Readable;
}
