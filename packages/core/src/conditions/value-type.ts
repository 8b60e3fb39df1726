import { isDate, isRecord } from './value-kinds';

type TypeTest = (value: unknown) => boolean;

const isNumber: TypeTest = (v) => typeof v === 'number';
const isInteger: TypeTest = (v) => Number.isInteger(v);
const isString: TypeTest = (v) => typeof v === 'string';
const isBoolean: TypeTest = (v) => typeof v === 'boolean';
const isArray: TypeTest = (v) => Array.isArray(v);
const isObject: TypeTest = (v) => isRecord(v);
const isNull: TypeTest = (v) => v === null;
const isDateValue: TypeTest = (v) => isDate(v);

/**
 * The `$type` names, with MongoDB's aliases and BSON type numbers. JavaScript cannot tell
 * a double from an int, so `double` and `decimal` mean any number, `int` and `long` an
 * integer. `null` matches only null (not a missing field); `date` only Date objects.
 */
const TYPE_TESTS = new Map<string | number, TypeTest>([
  ['number', isNumber],
  ['double', isNumber],
  ['decimal', isNumber],
  ['int', isInteger],
  ['long', isInteger],
  ['string', isString],
  ['boolean', isBoolean],
  ['bool', isBoolean],
  ['array', isArray],
  ['object', isObject],
  ['null', isNull],
  ['date', isDateValue],
  [1, isNumber],
  [2, isString],
  [3, isObject],
  [4, isArray],
  [8, isBoolean],
  [9, isDateValue],
  [10, isNull],
  [16, isInteger],
  [18, isInteger],
  [19, isNumber],
]);

/** The test for a `$type` operand (a name, a BSON number, or an array of them); null if unknown. */
export function typeTest(operand: unknown): TypeTest | null {
  if (!Array.isArray(operand)) return TYPE_TESTS.get(operand as string) ?? null;
  if (operand.length === 0) return null;
  const tests: TypeTest[] = [];
  for (const name of operand) {
    const test = TYPE_TESTS.get(name as string);
    if (test === undefined) return null;
    tests.push(test);
  }
  return (value) => tests.some((test) => test(value));
}
