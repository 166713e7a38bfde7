export { Manager, type Runnable, runnable } from './manager.js';
