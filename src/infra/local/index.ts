export { LOCAL_IMAGE_PREFIX, localArgv } from './command.js';
export { LocalBackend, type LocalBackendOptions } from './local-backend.js';
