import type { ControlPlane } from '../../control-plane.js';
import type { App } from '../app.js';
import { actionRoutes } from './actions.js';
import { blockRoutes } from './blocks.js';
import { clusterRoutes } from './cluster.js';
import { engineRoutes } from './engine.js';
import { executorRoutes } from './executors.js';
import { mgmtRoutes } from './mgmt.js';
import { policyRoutes } from './policies.js';
import { preCheckRoutes } from './prechecks.js';
import { vdagRoutes } from './vdag.js';

export type RouteModule = (app: App, cp: ControlPlane) => void | Promise<void>;

/** The policy system alone (registry, executors, decisions): what `governor executor` serves. */
export const policySystemRoutes: RouteModule[] = [policyRoutes, executorRoutes];

/** One entry per API area; each module registers its own routes with their schemas. */
export const routes: RouteModule[] = [
  blockRoutes,
  clusterRoutes,
  policyRoutes,
  executorRoutes,
  actionRoutes,
  vdagRoutes,
  preCheckRoutes,
  mgmtRoutes,
  engineRoutes,
];
