import { expect, it } from 'vitest';
import vectors from '@switchyard/core/test-vectors.json' with { type: 'json' };
import type { FlagReads } from '../../src';

/** The snapshot the core's evaluation vectors are evaluated against. */
export const vectorsSnapshot = vectors.evaluation.snapshot;

/**
 * Declares one test per case of the core's evaluation vectors, read through `reads` (a client
 * holding `vectorsSnapshot`, with exposures off): every SDK must answer as core does.
 */
export function itAnswersTheVectors(reads: () => FlagReads): void {
  const { evaluateFlag, assignExperiment } = vectors.evaluation;
  it.each(evaluateFlag.map((c) => [c.flag, JSON.stringify(c.context), c] as const))(
    'evaluates flag %s for %s as core does',
    (_flag, _context, c) => {
      const details = reads().getDetails(c.flag, c.context, c.defaultValue as never);
      expect({ ...details, errorMessage: undefined }).toEqual({
        ...c.expected,
        errorMessage: undefined,
      });
    },
  );
  it.each(assignExperiment.map((c) => [c.experiment, JSON.stringify(c.context), c] as const))(
    'assigns experiment %s for %s as core does',
    (_experiment, _context, c) => {
      expect(reads().getAssignment(c.experiment, c.context)).toEqual(c.expected);
    },
  );
}
