export { ERROR_CODES, type ErrorCode, type ErrorSpec, errorCodes } from './codes.js';
export {
  badRequest,
  type ErrorData,
  type ErrorDetails,
  GovernorError,
  isGovernorError,
  notFound,
} from './governor-error.js';
