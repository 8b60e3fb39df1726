import { ConflictError, ValidationError } from '../../errors';
import { writeVerb } from '../../verbs/verb';
import type { StoreWriter } from '../../store/store';
import type { VerbCall } from '../../verbs/verb';
import {
  IdInputSchema,
  applyPatch,
  changeEvent,
  deleteVerb,
  findVerb,
  getVerb,
  loadEntity,
  newEntityBase,
  saveEntity,
  updateVerb,
} from '../common';
import type { Experiment } from '../experiment/schema';
import type { FeatureFlag } from './schema';
import {
  FlagCreateSchema,
  FlagRollbackSchema,
  FlagRolloutSchema,
  FlagUpdateSchema,
} from './schema';
import { flagShape } from './shape';
import { assertValidFlag } from './validate';

const TYPE = 'FeatureFlag';

async function linkedExperiment(
  tx: StoreWriter,
  id: string | undefined,
  environment: string,
): Promise<Experiment | null> {
  if (id === undefined) return null;
  const record = await tx.getEntity('Experiment', environment, id);
  if (!record)
    throw ValidationError.at(
      ['experiment'],
      `no Experiment '${id}' in environment '${environment}'`,
    );
  return record.data as Experiment;
}

function refuseArchived(flag: FeatureFlag, verb: string): void {
  if (flag.status === 'Archived') {
    throw new ConflictError(`cannot ${verb} ${flag.$id}: it is Archived`, 'archived');
  }
}

async function loadActive(tx: StoreWriter, id: string, call: VerbCall, verb: string) {
  const flag = await loadEntity<FeatureFlag>(tx, TYPE, call.environment, id);
  refuseArchived(flag, verb);
  return flag;
}

/** Saves a changed flag after checking that its parts agree. */
async function commit(tx: StoreWriter, flag: FeatureFlag) {
  assertValidFlag(flag);
  await saveEntity(tx, flag, flag.key);
}

function toggle(enabled: boolean) {
  return writeVerb({
    input: IdInputSchema,
    async apply(tx, input, call) {
      const flag = await loadActive(tx, input.id, call, enabled ? 'enable' : 'disable');
      const next = applyPatch(flag, { enabled }, call);
      await commit(tx, next);
      return { result: next, event: changeEvent(next, { $id: next.$id }) };
    },
  });
}

/** The verbs of feature flags. */
export const featureFlagVerbs = {
  create: writeVerb({
    input: FlagCreateSchema,
    async apply(tx, input, call) {
      const experiment = await linkedExperiment(tx, input.experiment, call.environment);
      const flag: FeatureFlag = {
        ...newEntityBase(TYPE, call),
        ...input,
        ...flagShape(input, experiment),
        rules: input.rules ?? [],
        enabled: input.enabled ?? false,
        serverOnly: input.serverOnly ?? false,
        salt: input.key,
        status: 'Active',
      };
      await commit(tx, flag);
      const payload = { key: flag.key, rolloutPercent: flag.rolloutPercent ?? null };
      return { result: flag, event: changeEvent(flag, payload) };
    },
  }),
  update: updateVerb<typeof FlagUpdateSchema, FeatureFlag>(TYPE, FlagUpdateSchema, {
    key: (flag) => flag.key,
    guard: (flag) => refuseArchived(flag, 'update'),
    check: assertValidFlag,
  }),
  delete: deleteVerb<FeatureFlag>(TYPE),
  get: getVerb<FeatureFlag>(TYPE),
  find: findVerb<FeatureFlag>(TYPE),
  enable: toggle(true),
  disable: toggle(false),
  rollout: writeVerb({
    input: FlagRolloutSchema,
    async apply(tx, input, call) {
      const flag = await loadActive(tx, input.id, call, 'roll out');
      const next = applyPatch(flag, { rolloutPercent: input.percent }, call);
      await commit(tx, next);
      return { result: next, event: changeEvent(next, { percent: input.percent }) };
    },
  }),
  /**
   * Takes the rollout back to 0% (the flag stays enabled: units get its default), e.g. when a
   * guarded workflow sees the guard metric drop. Emits `featureflag.rolledback
   * { percent: 0, from, reason }`.
   */
  rollback: writeVerb({
    input: FlagRollbackSchema,
    async apply(tx, input, call) {
      const flag = await loadActive(tx, input.id, call, 'roll back');
      const from = flag.rolloutPercent ?? null;
      const next = applyPatch(flag, { rolloutPercent: 0 }, call);
      await commit(tx, next);
      const payload = { percent: 0, from, reason: input.reason ?? null };
      return { result: next, event: changeEvent(next, payload) };
    },
  }),
  archive: writeVerb({
    input: IdInputSchema,
    async apply(tx, input, call) {
      const flag = await loadActive(tx, input.id, call, 'archive');
      const next = applyPatch(flag, { status: 'Archived' }, call);
      await commit(tx, next);
      return { result: next, event: changeEvent(next, { status: 'Archived' }) };
    },
  }),
};

/** The verbs of feature flags, by name. */
export type FeatureFlagVerbs = typeof featureFlagVerbs;
