import { isDate, isRecord, ownValue } from './value-kinds';

type TypeTest = (value: unknown) => boolean;

const isNumber: TypeTest = (v) => typeof v === 'number';
const isInteger: TypeTest = Number.isInteger;
const isBoolean: TypeTest = (v) => typeof v === 'boolean';

/**
 * The `$type` names, with MongoDB's aliases. JavaScript cannot tell a double from an int, so
 * `double` and `decimal` mean any number, `int` and `long` an integer. `null` matches only null
 * (not a missing field); `date` only Date objects.
 */
const TYPE_TESTS: Record<string, TypeTest> = {
  number: isNumber,
  double: isNumber,
  decimal: isNumber,
  int: isInteger,
  long: isInteger,
  string: (v) => typeof v === 'string',
  boolean: isBoolean,
  bool: isBoolean,
  array: Array.isArray,
  object: isRecord,
  null: (v) => v === null,
  date: isDate,
};

/** BSON type numbers, by the name of their test. */
const BSON: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  8: 'bool',
  9: 'date',
  10: 'null',
  16: 'int',
  18: 'long',
  19: 'decimal',
};

const testOf = (name: unknown): TypeTest | undefined =>
  typeof name === 'string'
    ? ownValue(TYPE_TESTS, name)
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
