#!/usr/bin/env node
import { runCli } from './program/run.js';
import { exitQuietlyOnBrokenPipe, flushAndExit } from './program/exit.js';

exitQuietlyOnBrokenPipe();
await flushAndExit(await runCli(process.argv));
