import { describe, expect, it } from 'vitest';
import { createClient } from '../src';
import { itAnswersTheVectors, vectorsSnapshot } from '../../sdk-core/test/support/conformance';

// The core's conformance vectors, read through the browser client: its shape decoder, then the
// store and reads of sdk-core, evaluated by core.
describe('core test vectors through the browser client', () => {
  const client = createClient({
    offline: true,
    persist: false,
    bootstrap: { config: vectorsSnapshot },
    exposures: false,
  });

  it('loads the vectors snapshot', () => {
    expect(client.snapshot?.version).toBe(vectorsSnapshot.version);
    expect(Object.keys(client.snapshot!.flags).sort()).toEqual(
      Object.keys(vectorsSnapshot.flags).sort(),
    );
  });

  itAnswersTheVectors(() => client);
});
