import type { FieldOperatorCompiler } from './condition-compiler';
import { matchAtPath } from './path-lookup';
import { compareParsedVersions, parseVersion } from './version-compare';

/**
 * A version operator accepting the sign of the comparison of a reached value with the
 * operand. A reached value that is not a version string never matches, so `$vne` is false
 * for a missing or malformed version (it is not the negation of `$veq`); an operand that is
 * not a version makes the condition invalid.
 */
function versionOperator(accept: (order: number) => boolean): FieldOperatorCompiler {
  return (operand, path) => {
    const target = parseVersion(operand);
    if (target === null) return null;
    return matchAtPath(
      path,
      (value) => {
        const version = parseVersion(value);
        return version !== null && accept(compareParsedVersions(version, target));
      },
      true,
    );
  };
}

/** `$veq` `$vne` `$vgt` `$vgte` `$vlt` `$vlte`: SemVer 2.0 precedence, see {@link parseVersion}. */
export const compileVeq = versionOperator((order) => order === 0);
export const compileVne = versionOperator((order) => order !== 0);
export const compileVgt = versionOperator((order) => order > 0);
export const compileVgte = versionOperator((order) => order >= 0);
export const compileVlt = versionOperator((order) => order < 0);
export const compileVlte = versionOperator((order) => order <= 0);
