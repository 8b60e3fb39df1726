// Entry of the ingestion worker thread: the server runs from its TypeScript sources, and a worker
// does not inherit the loader its parent registered, so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./ingest-worker.ts');
