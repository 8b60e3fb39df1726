import type { Executor } from './executor';
import { numberColumn } from './executor';

/**
 * The smallest always-valid p-value reported so far for one treatment of one metric of an
 * experiment (or of a guarded flag's rollout): the running minimum that keeps the sequential
 * p-value monotone across looks.
 */
export interface SequentialLook {
  experiment: string;
  metric: string;
  variant: string;
  pValue: number;
}

/** Reads of the analysis tables. */
export interface AnalysisReader {
  /** The running minima of an experiment's sequential p-values. */
  sequentialLooks(experiment: string): Promise<SequentialLook[]>;
}

/** Writes of the analysis tables. */
export interface AnalysisWriter extends AnalysisReader {
  /** Lowers each stored minimum to the given p-value (never raises one); `at` is ISO. */
  recordLooks(looks: readonly SequentialLook[], at: string): Promise<void>;
}

// The CASE keeps the smaller value on both engines (SQLite has min(a, b), PostgreSQL LEAST).
const RECORD_LOOK = `INSERT INTO sequential_looks (experiment, metric, variant, p_value, looked_at)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT (experiment, metric, variant) DO UPDATE SET
  p_value = CASE WHEN excluded.p_value < sequential_looks.p_value
    THEN excluded.p_value ELSE sequential_looks.p_value END,
  looked_at = excluded.looked_at`;

/** The analysis tables' SQL, the same on both engines. */
export class AnalysisQueries implements AnalysisWriter {
  constructor(private readonly db: Executor) {}

  async sequentialLooks(experiment: string): Promise<SequentialLook[]> {
    const rows = await this.db.all(
      'SELECT metric, variant, p_value FROM sequential_looks WHERE experiment = ? ORDER BY metric, variant',
      [experiment],
    );
    return rows.map((r) => ({
      experiment,
      metric: String(r.metric),
      variant: String(r.variant),
      pValue: numberColumn(r.p_value),
    }));
  }

  async recordLooks(looks: readonly SequentialLook[], at: string): Promise<void> {
    await this.db.runEach(
      RECORD_LOOK,
      looks.map((l) => [l.experiment, l.metric, l.variant, l.pValue, at]),
    );
  }
}
