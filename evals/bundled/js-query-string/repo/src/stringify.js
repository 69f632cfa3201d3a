'use strict';

/** Builds a query string; array values repeat the key, undefined values are skipped. */
function stringify(params) {
  const parts = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.join('&');
}

module.exports = { stringify };
