// The entry of a technical worker thread. A worker starts without the parent's module loader, and the
// parent may run under tsx's programmatic hook (bin/bqx.mjs) or vitest's, so this plain-JS file
// registers tsx in the thread itself, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./technicalWorker.ts');
