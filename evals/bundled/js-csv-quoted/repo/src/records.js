import { parseCsv } from './parse.js';

/** Uses the first row as the header and returns one object per following row. */
export function toObjects(text, options) {
  const [header, ...rows] = parseCsv(text, options);
  if (!header) return [];
  return rows.map((row, index) => {
    if (row.length !== header.length) {
      throw new Error(`row ${index + 2} has ${row.length} fields, the header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, i) => [name, row[i]]));
  });
}
