/**
 * The contract of a signature's samples: a bundle in which the signature must fire and a near
 * miss in which it must stay silent. Each lives in `samples/<signature-id>/scenario.ts` and is
 * registered in `samples/scenarios.ts`.
 */
import type { BundleSpec } from './bundle.js';

export interface Scenario {
  /** The signature id, equal to the scenario's folder name. */
  id: string;
  /** A bundle that shows the known issue: the signature must fire. */
  positive: () => BundleSpec;
  /** A near miss (similar lines, fixed version, recovered state): the signature must stay silent. */
  negative: () => BundleSpec;
}
