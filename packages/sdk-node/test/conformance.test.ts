import { describe, expect, it } from 'vitest';
import vectors from '@switchyard/core/test-vectors.json' with { type: 'json' };
import { createClient } from '../src';

// The core's conformance vectors, read through the Node client (validation, store, reads).
const { snapshot, evaluateFlag, assignExperiment } = vectors.evaluation;

describe('core test vectors through the Node client', () => {
  const client = createClient({ offline: true, bootstrap: snapshot, exposures: false });

  it('loads the vectors snapshot', () => {
    expect(client.snapshot?.version).toBe(snapshot.version);
  });

  it.each(evaluateFlag.map((c) => [c.flag, JSON.stringify(c.context), c] as const))(
    'evaluates flag %s for %s as core does',
    (_flag, _context, c) => {
      const details = client.getDetails(c.flag, c.context, c.defaultValue as never);
      expect({ ...details, errorMessage: undefined }).toEqual({
        ...c.expected,
        errorMessage: undefined,
      });
    },
  );

  it.each(assignExperiment.map((c) => [c.experiment, JSON.stringify(c.context), c] as const))(
    'assigns experiment %s for %s as core does',
    (_experiment, _context, c) => {
      expect(client.getAssignment(c.experiment, c.context)).toEqual(c.expected);
    },
  );
});
