import { describe, expect, it } from 'vitest';
import { createClient } from '../src';
import { itAnswersTheVectors, vectorsSnapshot } from '../../sdk-core/test/support/conformance';

// The core's conformance vectors, read through the Node client (validation, store, reads).
describe('core test vectors through the Node client', () => {
  const client = createClient({ offline: true, bootstrap: vectorsSnapshot, exposures: false });

  it('loads the vectors snapshot', () => {
    expect(client.snapshot?.version).toBe(vectorsSnapshot.version);
  });

  itAnswersTheVectors(() => client);
});
