#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `bqx` needs no build step on a fresh clone.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
