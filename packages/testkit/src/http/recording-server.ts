/**
 * An HTTP server that records every request and answers with a handler. Typical use: the target
 * of a cross-origin redirect, to prove a client did not forward `Authorization` there.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../net/listen.js';
import { track, untrack } from '../lifecycle/tracker.js';
import { sendStatic } from './respond.js';
import type { LoopbackEndpoint, RecordedRequest, StaticResponse } from './types.js';

/** Bodies beyond this are cut in the record (the request is still read fully). */
const MAX_RECORDED_BODY = 1024 * 1024;

export type RecordingHandler = (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => void | Promise<void>;

export interface RecordingServer extends LoopbackEndpoint {
  requests: RecordedRequest[];
}

const DEFAULT_ANSWER: StaticResponse = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'recorded\n' };

export async function startRecordingServer(handler: RecordingHandler | StaticResponse = DEFAULT_ANSWER): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      let kept = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (kept < MAX_RECORDED_BODY) {
          chunks.push(chunk.subarray(0, MAX_RECORDED_BODY - kept));
          kept += chunk.length;
        }
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      };
      requests.push(recorded);
      if (typeof handler === 'function') await handler(req, res, recorded);
      else sendStatic(res, handler);
    })().catch(() => res.destroy());
  });
  const port = await listenOnLoopback(server);
  const endpoint: RecordingServer = {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async stop() {
      untrack(endpoint);
      await closeServer(server);
    },
  };
  return track(endpoint);
}
