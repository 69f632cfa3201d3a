/**
 * Parses CSV text into rows of string fields.
 * Lines end with \n or \r\n; a final line break does not start an empty row.
 */
export function parseCsv(text, { delimiter = ',' } = {}) {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.split(delimiter));
}
