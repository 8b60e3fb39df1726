import { describe, expect, it } from 'vitest';
import { realtimeOptionsFromEnv } from '../src/sync/realtime-env';

describe('realtimeOptionsFromEnv', () => {
  it('reads the ingestion rate and the sync history, and refuses what is not a number', () => {
    expect(realtimeOptionsFromEnv({})).toEqual({});
    expect(
      realtimeOptionsFromEnv({
        SWITCHYARD_EVENTS_PER_SECOND: '1000',
        SWITCHYARD_SYNC_HISTORY: '64',
      }),
    ).toEqual({ rateLimit: { perSecond: 1000, burst: 2000 }, historySize: 64 });
    expect(realtimeOptionsFromEnv({ SWITCHYARD_EVENTS_PER_SECOND: '0' })).toEqual({
      rateLimit: false,
    });
    expect(() => realtimeOptionsFromEnv({ SWITCHYARD_SYNC_HISTORY: 'lots' })).toThrow(
      /SWITCHYARD_SYNC_HISTORY/,
    );
  });
});
