import type { RealtimeOptions } from './realtime';

function count(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, not '${text}'`);
  return Number(text);
}

/**
 * Realtime options from the environment, for `switchyard serve`: `SWITCHYARD_EVENTS_PER_SECOND`
 * (each key's ingestion rate, bursts of twice that; 0 turns the limit off) and
 * `SWITCHYARD_SYNC_HISTORY` (config steps kept per environment for resuming clients).
 */
export function realtimeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RealtimeOptions {
  const perSecond = count(env, 'SWITCHYARD_EVENTS_PER_SECOND');
  const history = count(env, 'SWITCHYARD_SYNC_HISTORY');
  return {
    ...(perSecond === undefined
      ? {}
      : { rateLimit: perSecond === 0 ? false : { perSecond, burst: 2 * perSecond } }),
    ...(history === undefined ? {} : { historySize: history }),
  };
}
