function quote(field, delimiter) {
  const text = field == null ? '' : String(field);
  return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Formats rows as CSV, quoting fields that contain the delimiter, quotes or line breaks. */
export function formatCsv(rows, { delimiter = ',' } = {}) {
  return rows.map((row) => row.map((field) => quote(field, delimiter)).join(delimiter)).join('\n') + '\n';
}
