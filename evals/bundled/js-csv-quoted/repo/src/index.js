export { parseCsv } from './parse.js';
export { formatCsv } from './format.js';
export { toObjects } from './records.js';
