/**
 * Add to a vitest config as `setupFiles: ['@nextdeploy/testkit/vitest-setup']` so every test file
 * stops what it started, without each file remembering `afterAll(stopAll)`.
 */
import { afterAll } from 'vitest';
import { stopAll } from './lifecycle/tracker.js';

afterAll(stopAll);
