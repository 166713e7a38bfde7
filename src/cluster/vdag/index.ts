export {
  CreateControllerPayload,
  VDAG_ACTION_NAMES,
  VDAG_ACTION_SCHEMAS,
  type VdagActionName,
  type VdagPayload,
} from './schemas.js';
export { VDAG_CONTROLLERS, VdagService } from './vdag-service.js';
