import type { ControlPlane } from '../../control-plane.js';
import type { App } from '../app.js';
import { engineRoutes } from './engine.js';

export type RouteModule = (app: App, cp: ControlPlane) => void | Promise<void>;

/** One entry per API area; each module registers its own routes with their schemas. */
export const routes: RouteModule[] = [engineRoutes];
