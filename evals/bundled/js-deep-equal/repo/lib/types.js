/** The kind of a value for comparison purposes: 'array', 'object', 'null' or the typeof. */
export function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
