export { deepEqual } from './deep-equal.js';
export { diff } from './diff.js';
