/**
 * Every signature's samples, by signature id. Keep the keys sorted; one import and one entry
 * per scenario (see samples/README.md, "Adding a scenario").
 */
import type { Scenario } from './lib/scenario.js';
import kubeProxyIpvsStaleRules from './kube-proxy-ipvs-stale-rules/scenario.js';
import plegUnhealthyRunc from './pleg-unhealthy-runc/scenario.js';

export const SCENARIOS = {
  'kube-proxy-ipvs-stale-rules': kubeProxyIpvsStaleRules,
  'pleg-unhealthy-runc': plegUnhealthyRunc,
} as const satisfies Record<string, Scenario>;

export type ScenarioId = keyof typeof SCENARIOS;

export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];
