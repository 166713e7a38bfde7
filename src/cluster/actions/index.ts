export { isActionName, type ParsedAction, parseAction } from './parse.js';
export {
  ACTION_NAMES,
  ACTION_SCHEMAS,
  type ActionData,
  type ActionName,
  AllocationItem,
  BlockEntryData,
  ScaleData,
} from './schemas.js';
