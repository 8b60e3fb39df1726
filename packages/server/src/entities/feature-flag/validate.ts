import { matchesFlagType } from '@switchyard/core';
import type { Issue } from '../../errors';
import { ValidationError } from '../../errors';
import type { FeatureFlag } from './schema';

/** The variant the rollout rule serves: `variant`, or `on`. */
export function rolloutVariant(flag: Pick<FeatureFlag, 'variant'>): string {
  return flag.variant ?? 'on';
}

/** Every way a flag's parts disagree: unknown variant references, values of the wrong type. */
export function flagIssues(flag: FeatureFlag): Issue[] {
  const issues: Issue[] = [];
  const keys = new Set<string>();
  flag.variants.forEach((v, i) => {
    if (keys.has(v.key))
      issues.push({ path: ['variants', i, 'key'], message: `variant key '${v.key}' repeats` });
    keys.add(v.key);
    if (!matchesFlagType(flag.type, v.value)) {
      issues.push({ path: ['variants', i, 'value'], message: `value is not a ${flag.type}` });
    }
  });
  const known = (path: (string | number)[], key: string | undefined, what: string) => {
    if (key !== undefined && !keys.has(key)) {
      issues.push({
        path,
        message: `${what} '${key}' is not one of the variants (${[...keys].join(', ')})`,
      });
    }
  };
  known(['default'], flag.default, 'default');
  known(['offVariant'], flag.offVariant, 'offVariant');
  known(['variant'], flag.variant, 'variant');
  if (flag.rolloutPercent !== undefined && flag.variant === undefined) {
    known(['rolloutPercent'], rolloutVariant(flag), 'the rolled-out variant');
  }
  flag.rules.forEach((rule, i) => {
    known(['rules', i, 'variant'], rule.variant, 'variant');
    rule.split?.forEach((s, j) => known(['rules', i, 'split', j, 'variant'], s.variant, 'variant'));
  });
  flag.prerequisites?.forEach((p, i) => {
    if (p.flag === flag.key)
      issues.push({ path: ['prerequisites', i, 'flag'], message: 'a flag cannot require itself' });
  });
  return issues;
}

/** Throws a 400 listing every issue of the flag, if it has any. */
export function assertValidFlag(flag: FeatureFlag): void {
  const issues = flagIssues(flag);
  if (issues.length > 0) {
    throw new ValidationError(`invalid flag: ${issues[0]!.message}`, issues);
  }
}
