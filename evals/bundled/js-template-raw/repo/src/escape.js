const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(value) {
  return String(value).replace(/[&<>"]/g, (ch) => ENTITIES[ch]);
}
