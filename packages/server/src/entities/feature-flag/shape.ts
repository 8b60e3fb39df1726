import type { FlagType, FlagVariant } from '@switchyard/core/schema';
import { ValidationError } from '../../errors';
import type { Experiment } from '../experiment/schema';
import type { FlagCreateInput } from './schema';

/** The type, variants and default a new flag gets. */
export interface FlagShape {
  type: FlagType;
  variants: FlagVariant[];
  default: string;
}

function typeOfValues(variants: readonly FlagVariant[]): FlagType {
  const kinds = new Set(variants.map((v) => typeof v.value));
  if (kinds.size === 1) {
    const [kind] = kinds;
    if (kind === 'boolean' || kind === 'string' || kind === 'number') return kind;
  }
  return 'json';
}

/**
 * Fills in what a creation leaves out:
 * - explicit `variants`: the type follows their values, the default is `off` or the first;
 * - `variant` of a linked experiment: the experiment's variants (value = value ?? key), and its
 *   first (control) variant as default;
 * - `variant` alone: a boolean flag `off`/`<variant>`;
 * - nothing: a boolean flag `off`/`on`.
 */
export function flagShape(input: FlagCreateInput, experiment: Experiment | null): FlagShape {
  if (input.variants !== undefined) {
    const fallback = input.variants.some((v) => v.key === 'off') ? 'off' : input.variants[0]!.key;
    return {
      type: input.type ?? typeOfValues(input.variants),
      variants: input.variants,
      default: input.default ?? fallback,
    };
  }
  if (input.type !== undefined && input.type !== 'boolean') {
    throw ValidationError.at(['variants'], `a flag of type ${input.type} needs variants`);
  }
  if (input.variant !== undefined && experiment !== null) {
    const variants = experiment.variants.map((v) => ({
      key: v.key,
      value: v.value ?? v.key,
      ...(v.name === undefined ? {} : { name: v.name }),
    }));
    return {
      type: typeOfValues(variants) === 'string' ? 'string' : 'json',
      variants,
      default: input.default ?? experiment.variants[0]!.key,
    };
  }
  const on = input.variant ?? 'on';
  if (on === 'off')
    throw ValidationError.at(['variant'], "'off' is the variant of a flag that is off");
  return {
    type: 'boolean',
    variants: [
      { key: 'off', value: false },
      { key: on, value: true },
    ],
    default: input.default ?? 'off',
  };
}
