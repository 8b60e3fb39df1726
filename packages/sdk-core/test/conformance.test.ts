import { describe, expect, it } from 'vitest';
import { itAnswersTheVectors, vectorsSnapshot } from './support/conformance';
import { testClient } from './support/client';

describe('core test vectors through the sdk-core client (schema decoder)', () => {
  const { client } = testClient({ offline: true, bootstrap: vectorsSnapshot, exposures: false });

  it('loads the vectors snapshot', () => {
    expect(client.snapshot?.version).toBe(vectorsSnapshot.version);
  });

  itAnswersTheVectors(() => client);
});
