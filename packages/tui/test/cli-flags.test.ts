import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRandomImage, startFaultProxy, startRegistry, stopAll, type TestRegistry } from '@nextdeploy/testkit';
import { parseDuration } from '../src/flags/duration.js';
import { parseNonNegativeInteger, parsePositiveInteger } from '../src/flags/integer.js';
import { ExitCode, exitCodeFor } from '../src/program/exit-codes.js';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

describe('flag parsers', () => {
  it('--retry-delay takes a number and a unit', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1m')).toBe(60_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    for (const bad of ['2', '', 's', '-1s', '1 d', '1e3ms']) expect(() => parseDuration(bad), bad).toThrow(/not a duration/);
  });

  it('counts are whole numbers', () => {
    expect(parseNonNegativeInteger('0')).toBe(0);
    expect(parseNonNegativeInteger('12')).toBe(12);
    for (const bad of ['-1', '1.5', '3x', '', '99999999999999999999']) expect(() => parseNonNegativeInteger(bad), bad).toThrow();
    expect(() => parsePositiveInteger('0')).toThrow(/at least 1/);
  });
});

describe('exit code classification', () => {
  it('maps error shapes to the documented codes', () => {
    expect(exitCodeFor({ name: 'AuthenticationError', code: 'UNAUTHORIZED' })).toBe(ExitCode.AUTH);
    expect(exitCodeFor({ name: 'RegistryError', code: 'DENIED', status: 403 })).toBe(ExitCode.AUTH);
    expect(exitCodeFor({ name: 'RegistryError', code: 'HTTP_404', status: 404 })).toBe(ExitCode.NOT_FOUND);
    expect(exitCodeFor({ name: 'RegistryError', code: 'NAME_UNKNOWN', status: 404, codes: ['NAME_UNKNOWN'] })).toBe(ExitCode.NOT_FOUND);
    expect(exitCodeFor({ name: 'InvalidReferenceError', code: 'INVALID_REFERENCE' })).toBe(ExitCode.USAGE);
    expect(exitCodeFor({ name: 'AbortError' })).toBe(ExitCode.INTERRUPTED);
    expect(exitCodeFor({ name: 'TransportError', code: 'TRANSPORT' })).toBe(ExitCode.ERROR);
    expect(exitCodeFor(new Error('boom'))).toBe(ExitCode.ERROR);
    expect(exitCodeFor('string')).toBe(ExitCode.ERROR);
  });
});

describe('network flags against a real registry', () => {
  let reg: TestRegistry;
  let home: Awaited<ReturnType<typeof makeHome>>;
  beforeAll(async () => {
    home = await makeHome();
    reg = await startRegistry();
    await pushRandomImage(reg, 'app:v1');
  });
  afterAll(() => home.remove());

  // `127.1` reaches 127.0.0.1 but is not spelled as loopback, so it gets the https-only treatment
  // any remote registry gets; the registry speaks plain HTTP, like an insecure in-house registry.
  const remoteLooking = (): string => `127.1:${reg.host.split(':')[1]}`;

  it('a plain-HTTP registry is refused without --insecure and reached with it', async () => {
    const refused = await runCli(['tags', `${remoteLooking()}/app`], { home: home.dir });
    expect(refused.code).toBe(1);
    expectOneErrorLine(refused);

    const insecure = await runCli(['--insecure', 'tags', `${remoteLooking()}/app`], { home: home.dir });
    expect(insecure.code).toBe(0);
    expect(insecure.stdout.trim()).toBe('v1');

    const listed = await runCli(['tags', `${remoteLooking()}/app`, '--insecure-registry', remoteLooking()], { home: home.dir });
    expect(listed.code).toBe(0);
  });

  it('--retry and --retry-delay reach the transport', async () => {
    let failures = 0;
    const proxy = await startFaultProxy({
      target: reg,
      fault: (req) => (req.url?.includes('/tags/list') && failures++ < 2 ? { status: 503, body: 'busy' } : 'pass'),
    });
    const ok = await runCli(['--debug', '--retry', '2', '--retry-delay', '5ms', 'tags', `${proxy.host}/app`], { home: home.dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('v1');
    // Each retry is logged with its delay; with a 5ms base none comes near the 200ms default.
    const delays = [...ok.stderr.matchAll(/-> 503 .*retrying in (\d+)ms/g)].map((m) => Number(m[1]));
    expect(delays).toHaveLength(2);
    for (const d of delays) expect(d).toBeLessThan(100);

    failures = 0;
    const giveUp = await runCli(['--retry', '0', 'tags', `${proxy.host}/app`], { home: home.dir });
    expect(giveUp.code).toBe(1);
    expect(expectOneErrorLine(giveUp)).toContain('503');
  });
});
