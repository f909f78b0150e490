// Query thread entry under plain Node (CLI, tests, bridge): register tsx's loader in this thread,
// then load the TypeScript worker. The Electron build runs the bundled job-worker script with
// workerData.entry = 'query' instead (jobs/entry.ts).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
