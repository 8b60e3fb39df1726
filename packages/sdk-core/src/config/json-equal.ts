/**
 * Equality of two JSON values as sent: the same object, or the same JSON text. Configs come
 * from one server's serializer, so equal entities keep their key order; should an order differ,
 * a change is reported where there is none, which costs a re-read, never a missed update.
 */
export const jsonEqual = (a: unknown, b: unknown): boolean =>
  a === b || JSON.stringify(a) === JSON.stringify(b);
