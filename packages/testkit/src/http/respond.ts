import type { ServerResponse } from 'node:http';
import type { StaticResponse } from './types.js';

export function sendStatic(res: ServerResponse, answer: StaticResponse): void {
  const body = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
  const headers = { 'content-length': body.length, ...answer.headers };
  res.writeHead(answer.status, headers);
  res.end(body);
}
