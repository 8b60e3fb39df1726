// Entry of the WAL checkpointer thread (see checkpoint-worker.ts); registers tsx as
// ingest-worker.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./checkpoint-worker.ts');
