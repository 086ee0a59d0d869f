// Worker-thread entry of the histogram forest: registers tsx (the project runs TypeScript without a
// build step) and loads the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./forestWorker.ts');
