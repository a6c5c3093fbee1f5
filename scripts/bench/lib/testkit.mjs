/**
 * The testkit is a workspace package that the repository root does not depend on, so import its
 * built dist by path, with a one-line hint when it has not been built.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIST = new URL('../../../packages/testkit/dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(DIST))) {
  throw new Error('packages/testkit/dist is missing; run `pnpm --filter @nextdeploy/testkit build` (or `pnpm bench`, which builds first)');
}

export const {
  startRegistry,
  startFaultProxy,
  startLinkShaper,
  buildOciLayout,
  pushWithSkopeo,
  skopeoOk,
  stopAll,
} = await import(DIST.href);
