import { afterAll, describe, expect, it } from 'vitest';
import { startRecordingServer, stopAll } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

describe('Ctrl-C', () => {
  it('aborts the request in flight and exits 130 with one line', async () => {
    // A registry that accepts the request and never answers: only the abort can end the command.
    const silent = await startRecordingServer(() => {});
    const home = await makeHome();
    try {
      const r = await runCli(['tags', `${silent.host}/app`], {
        home: home.dir,
        onSpawn: (child) => {
          const timer = setInterval(() => {
            // Interrupt once the request has reached the server, so the abort hits a live request.
            if (silent.requests.length > 0) {
              clearInterval(timer);
              child.kill('SIGINT');
            }
          }, 20);
          child.on('close', () => clearInterval(timer));
        },
      });
      expect(r.code).toBe(130);
      expect(expectOneErrorLine(r)).toBe('nextdeploy-tui: error: interrupted');
      expect(r.stdout).toBe('');
    } finally {
      await home.remove();
    }
  });
});
