import { isDate, isRecord, ownValue } from './value-kinds';

type TypeTest = (value: unknown) => boolean;

/**
 * What each `$type` name matches. JavaScript cannot tell a double from an int, so `number`
 * means any number and `int` an integer. `null` matches only null (not a missing field); `date`
 * only Date objects.
 */
const TYPE_TESTS: Record<string, TypeTest> = {
  number: (v) => typeof v === 'number',
  int: Number.isInteger,
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  array: Array.isArray,
  object: isRecord,
  null: (v) => v === null,
  date: isDate,
};

/** MongoDB's aliases for those names. */
const ALIASES: Record<string, string> = {
  double: 'number',
  decimal: 'number',
  long: 'int',
  bool: 'boolean',
};

/** BSON type numbers, by the name they stand for. */
const BSON: Record<number, string> = {
  1: 'number',
  2: 'string',
  3: 'object',
  4: 'array',
  8: 'boolean',
  9: 'date',
  10: 'null',
  16: 'int',
  18: 'int',
  19: 'number',
};

const testOf = (name: unknown): TypeTest | undefined =>
  typeof name === 'string'
    ? ownValue(TYPE_TESTS, ownValue(ALIASES, name) ?? name)
    : typeof name === 'number'
      ? TYPE_TESTS[BSON[name]!]
      : undefined;

/** The test for a `$type` operand (a name, a BSON number, or an array of them); null if unknown. */
export function typeTest(operand: unknown): TypeTest | null {
  if (!Array.isArray(operand)) return testOf(operand) ?? null;
  const tests = operand.map(testOf);
  return tests.length && !tests.includes(undefined)
    ? (value) => tests.some((test) => test!(value))
    : null;
}
