import { deepEqual } from './deep-equal.js';
import { kindOf } from './types.js';

/** Lists the paths where two objects differ, e.g. ['user.name', 'tags[1]']. */
export function diff(a, b, path = '') {
  if (deepEqual(a, b)) return [];
  const kind = kindOf(a);
  if (kind !== kindOf(b) || (kind !== 'object' && kind !== 'array')) return [path || '(root)'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out = [];
  for (const key of keys) {
    const child = kind === 'array' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    out.push(...diff(a[key], b[key], child));
  }
  return out;
}
