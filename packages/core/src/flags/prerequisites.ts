import { flagOf } from '../config/own-entry';
import type { ConfigSnapshot } from '../schema/config';
import type { EvaluationContext } from '../types';
import { compileFlag } from './compile-flag';
import type { CompiledFlag } from './compile-flag';
import { evaluateRules } from './evaluate-rules';
import { disabled } from './flag-results';

/** Why a flag's prerequisites do not hold: `[isCycle, the flag that failed or closed the cycle]`. */
export type PrerequisiteFailure = readonly [cycle: boolean, flag: string];

/** The variant key a flag serves once its prerequisites are known to be met or not. */
const servedVariant = (
  snapshot: ConfigSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  met: boolean,
): string | undefined =>
  (flag.config.enabled && met
    ? evaluateRules(snapshot, flag, context, undefined)
    : disabled(flag, undefined)
  ).variant;

/**
 * Checks that each prerequisite flag of `root` serves one of its listed variants for `context`,
 * in order, stopping at the first that does not; undefined when all do. A prerequisite is
 * evaluated like any flag: disabled (or with a failed prerequisite of its own) it serves its
 * off variant. The walk keeps its own stack of `[flag, next prerequisite]` instead of
 * recursing, so a long chain cannot overflow the call stack, and a visiting set finds cycles;
 * each flag is evaluated at most once per check.
 */
export function checkPrerequisites(
  snapshot: ConfigSnapshot,
  root: CompiledFlag,
  context: EvaluationContext,
): PrerequisiteFailure | undefined {
  // The variant each finished flag served (undefined: none, e.g. missing or disabled without off variant).
  const served = new Map<string, string | undefined>();
  const visiting = new Set([root.config.key]);
  const stack: [CompiledFlag, number][] = [[root, 0]];
  for (;;) {
    const frame = stack.at(-1)!;
    const [flag] = frame;
    const prerequisites = flag.config.prerequisites ?? [];
    let failed: string | undefined;
    let deeper = false;
    while (frame[1] < prerequisites.length) {
      const { flag: key, variants } = prerequisites[frame[1]]!;
      if (!served.has(key)) {
        if (visiting.has(key)) return [true, key];
        const config = flagOf(snapshot, key);
        if (config?.enabled && config.prerequisites?.length) {
          visiting.add(key);
          stack.push([compileFlag(config), 0]);
          deeper = true;
          break;
        }
        served.set(key, config && servedVariant(snapshot, compileFlag(config), context, true));
      }
      const variant = served.get(key);
      if (variant === undefined || !variants.includes(variant)) {
        failed = key;
        break;
      }
      frame[1]++;
    }
    if (deeper) continue;
    stack.pop();
    if (!stack.length) return failed === undefined ? undefined : [false, failed];
    visiting.delete(flag.config.key);
    served.set(flag.config.key, servedVariant(snapshot, flag, context, failed === undefined));
  }
}
