// Job thread entry under plain Node (CLI, tests, bridge): register tsx's loader in this thread,
// then load the TypeScript entry. The Electron build bundles jobs/entry.ts instead.
import { register } from 'tsx/esm/api';

register();
await import('./entry.ts');
