// The worker thread's entry: loads the TypeScript worker (train-worker.ts) through tsx's API.
// Node 20 applies neither `--import tsx` nor hooks registered by `import 'tsx'` to a worker's
// modules; tsx's tsImport does work there.
import { tsImport } from 'tsx/esm/api';

await tsImport('./train-worker.ts', import.meta.url);
