#!/usr/bin/env node
// Entry point; the command table lands with the CLI work (issue 2).
console.log('nextdeploy-tui');
