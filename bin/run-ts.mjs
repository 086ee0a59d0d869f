#!/usr/bin/env node
import path from 'node:path';
import { pathToFileURL } from 'node:url';
// Runs any TypeScript entry point (benchmarks, scripts) with tsx's loader: node bin/run-ts.mjs FILE [args].
import { register } from 'tsx/esm/api';

register();
const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts.mjs FILE [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], file, ...rest];
await import(pathToFileURL(path.resolve(file)).href);
