// Worker entry under plain Node (CLI, tests, bridge): register tsx's loader in this thread, then
// load the TypeScript worker. The Electron build bundles jobs/worker.ts instead of using this.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
