import {
  incompleteBeta,
  integrate,
  logBeta,
  normalLower,
  normalPdf,
  normalUpper,
} from './numerics';

/**
 * Posterior comparison of a treatment T with control C, "higher is better" orientation:
 * P(T > C), P(T < C), and the expected losses E[max(C - T, 0)] (of shipping T) and
 * E[max(T - C, 0)] (of keeping C).
 */
export interface PosteriorComparison {
  treatmentHigher: number;
  treatmentLower: number;
  lossOfTreatment: number;
  lossOfControl: number;
}

/** A Beta(a, b) posterior. */
export interface BetaPosterior {
  a: number;
  b: number;
}

/** Beta(1 + conversions, 1 + units - conversions): the posterior under a uniform prior. */
export function conversionPosterior(units: number, conversions: number): BetaPosterior {
  return { a: 1 + conversions, b: 1 + units - conversions };
}

const betaMean = ({ a, b }: BetaPosterior): number => a / (a + b);
/** √(m (1 - m) / (a + b + 1)), in a form whose products cannot overflow. */
const betaSd = ({ a, b }: BetaPosterior): number =>
  Math.sqrt(((a / (a + b)) * (b / (a + b))) / (a + b + 1));
const betaLogPdf = ({ a, b }: BetaPosterior, x: number, logNorm: number): number =>
  (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logNorm;

/** Density below e^-50 of the peak is where the integration range stops. */
const LOG_CUTOFF = 50;

/**
 * Above this a + b (about a trillion units) ln of the Beta density loses its precision and the
 * continued fractions grow long, so both posteriors become normals with the same mean and
 * variance — indistinguishable at that size unless conversions are extremely rare.
 */
const EXACT_LIMIT = 1e12;

/**
 * Compares two Beta posteriors by Gauss–Legendre integration over the narrower one, N, of
 * quantities of the wider one, W, in closed form through the incomplete beta:
 *   P(W > v) = 1 - I_v(a, b),   E[max(v - W, 0)] = v I_v(a, b) - m I_v(a + 1, b),
 *   E[max(W - v, 0)] = m (1 - I_v(a + 1, b)) - v (1 - I_v(a, b)),   m = a/(a + b),
 * (since w·Beta(a, b) density = m·Beta(a + 1, b) density). Integrating over the narrower
 * posterior keeps the integrand smooth on the nodes. No sampling, so no randomness.
 */
export function compareBetaPosteriors(
  control: BetaPosterior,
  treatment: BetaPosterior,
): PosteriorComparison {
  if (Math.max(control.a + control.b, treatment.a + treatment.b) > EXACT_LIMIT) {
    const sdC = betaSd(control);
    const sdT = betaSd(treatment);
    return compareNormalPosteriors(betaMean(treatment) - betaMean(control), sdC * sdC + sdT * sdT);
  }
  const controlIsNarrow = betaSd(control) <= betaSd(treatment);
  const narrow = controlIsNarrow ? control : treatment;
  const wide = controlIsNarrow ? treatment : control;
  const logNorm = logBeta(narrow.a, narrow.b);
  const wideMean = betaMean(wide);
  const [lo, hi] = betaSupport(narrow, logNorm);
  const [mass = 1, wideHigher = 0, wideLower = 0, narrowExcess = 0, wideExcess = 0] = integrate(
    (v) => {
      const density = Math.exp(betaLogPdf(narrow, v, logNorm));
      const at = incompleteBeta(v, wide.a, wide.b);
      const shifted = incompleteBeta(v, wide.a + 1, wide.b);
      return [
        density,
        density * at.upper,
        density * at.lower,
        density * Math.max(0, v * at.lower - wideMean * shifted.lower),
        density * Math.max(0, wideMean * shifted.upper - v * at.upper),
      ];
    },
    lo,
    hi,
    24,
  );
  // Dividing by the integrated density cancels the quadrature's and ln B's small errors.
  const clamp = (p: number): number => Math.min(1, Math.max(0, p / mass));
  const positive = (x: number): number => Math.max(0, x / mass);
  return controlIsNarrow
    ? {
        treatmentHigher: clamp(wideHigher),
        treatmentLower: clamp(wideLower),
        lossOfTreatment: positive(narrowExcess),
        lossOfControl: positive(wideExcess),
      }
    : {
        treatmentHigher: clamp(wideLower),
        treatmentLower: clamp(wideHigher),
        lossOfTreatment: positive(wideExcess),
        lossOfControl: positive(narrowExcess),
      };
}

/** [lo, hi] ⊆ [0, 1] outside which the density is below e^-50 of its peak. */
function betaSupport(posterior: BetaPosterior, logNorm: number): [number, number] {
  const { a, b } = posterior;
  const mode = a > 1 || b > 1 ? (a - 1) / (a + b - 2) : 0.5;
  const peak = betaLogPdf(posterior, Math.min(Math.max(mode, 1e-300), 1 - 1e-16), logNorm);
  const sd = betaSd(posterior);
  const reach = (direction: number): number => {
    for (let k = 8; k < 1e6; k *= 2) {
      const x = mode + direction * k * sd;
      if (x <= 0) return 0;
      if (x >= 1) return 1;
      if (betaLogPdf(posterior, x, logNorm) < peak - LOG_CUTOFF) return x;
    }
    return direction < 0 ? 0 : 1;
  };
  return [reach(-1), reach(1)];
}

/**
 * Compares two approximately normal posteriors of means, N(ȳ, s²/n) each under a flat prior, in
 * closed form: with D = T - C ~ N(d, V), P(D > 0) = Φ(d/√V) and
 * E[max(-D, 0)] = √V φ(d/√V) - d Φ(-d/√V), E[max(D, 0)] = √V φ(d/√V) + d Φ(d/√V).
 */
export function compareNormalPosteriors(difference: number, variance: number): PosteriorComparison {
  const sd = Math.sqrt(variance);
  const z = difference / sd;
  const density = sd * normalPdf(z);
  return {
    treatmentHigher: normalLower(z),
    treatmentLower: normalUpper(z),
    lossOfTreatment: Math.max(0, density - difference * normalUpper(z)),
    lossOfControl: Math.max(0, density + difference * normalLower(z)),
  };
}
