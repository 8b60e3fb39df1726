/** The units and attributes every library is evaluated over, built once before timing. */

export const UNIT_COUNT = 10_000;

const COUNTRIES = ['DE', 'FR', 'US', 'GB'];

export interface Person {
  id: string;
  country: string;
  plan: string;
  age: number;
}

/** 10,000 users whose attributes vary independently enough for the targeting to split them. */
export const people: Person[] = Array.from({ length: UNIT_COUNT }, (_, i) => ({
  id: `user-${100_000 + i * 7}`,
  country: COUNTRIES[i % 4]!,
  plan: i % 3 === 0 ? 'free' : 'pro',
  age: 10 + ((i * 7) % 60),
}));

/** The targeting of case (b), as plain code: the ground truth each library must agree with. */
export const matchesTargeting = (p: Person): boolean =>
  (p.country === 'DE' || p.country === 'FR') && p.plan === 'pro' && p.age >= 18;

/** The share of `people` the targeting of case (b) matches. */
export const targetedShare = people.filter(matchesTargeting).length / people.length;
