import { flagOf } from '../config/own-entry';
import type { ConfigSnapshot } from '../schema/config';
import type { EvaluationContext } from '../types';
import { compileFlag } from './compile-flag';
import type { CompiledFlag } from './compile-flag';
import { evaluateRules } from './evaluate-rules';
import { disabled } from './flag-results';

/** Whether a flag's prerequisites hold for a context: met, or the first one that failed, or a cycle. */
export type PrerequisiteOutcome =
  { readonly met: true } | { readonly met: false; readonly cycle: boolean; readonly flag: string };

const MET: PrerequisiteOutcome = { met: true };

interface Frame {
  readonly flag: CompiledFlag;
  next: number;
}

/**
 * Checks that each prerequisite flag of `root` serves one of its listed variants for `context`,
 * in order, stopping at the first that does not. A prerequisite is evaluated like any flag:
 * disabled (or with a failed prerequisite of its own) it serves its off variant. The walk keeps
 * its own stack instead of recursing, so a long chain cannot overflow the call stack, and a
 * visiting set finds cycles; each flag is evaluated at most once per check.
 */
export function checkPrerequisites(
  snapshot: ConfigSnapshot,
  root: CompiledFlag,
  context: EvaluationContext,
): PrerequisiteOutcome {
  // The variant each finished flag served (undefined: none, e.g. missing or disabled without off variant).
  const served = new Map<string, string | undefined>();
  const visiting = new Set<string>([root.config.key]);
  const stack: Frame[] = [{ flag: root, next: 0 }];
  for (;;) {
    const frame = stack[stack.length - 1]!;
    const prerequisites = frame.flag.config.prerequisites ?? [];
    let met = true;
    let failed = '';
    while (frame.next < prerequisites.length) {
      const prerequisite = prerequisites[frame.next]!;
      const key = prerequisite.flag;
      if (!served.has(key)) {
        if (visiting.has(key)) return { met: false, cycle: true, flag: key };
        const config = flagOf(snapshot, key);
        if (config !== undefined && config.enabled && (config.prerequisites?.length ?? 0) > 0) {
          visiting.add(key);
          stack.push({ flag: compileFlag(config), next: 0 });
          break;
        }
        const variant =
          config === undefined
            ? undefined
            : servedVariant(snapshot, compileFlag(config), context, true);
        served.set(key, variant);
      }
      const variant = served.get(key);
      if (variant === undefined || !prerequisite.variants.includes(variant)) {
        met = false;
        failed = key;
        break;
      }
      frame.next++;
    }
    if (stack[stack.length - 1] !== frame) continue;
    stack.pop();
    if (stack.length === 0) return met ? MET : { met: false, cycle: false, flag: failed };
    visiting.delete(frame.flag.config.key);
    served.set(frame.flag.config.key, servedVariant(snapshot, frame.flag, context, met));
  }
}

/** The variant key a flag serves once its prerequisites are known to be met or not. */
function servedVariant(
  snapshot: ConfigSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  prerequisitesMet: boolean,
): string | undefined {
  const evaluation =
    flag.config.enabled && prerequisitesMet
      ? evaluateRules(snapshot, flag, context, undefined)
      : disabled(flag, undefined);
  return evaluation.variant;
}
