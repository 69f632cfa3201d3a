'use strict';

const { decodeComponent } = require('./decode');

/**
 * Parses 'a=1&b=2' (a leading '?' is ignored) into an object of strings.
 * A key without '=' gets the empty string.
 */
function parse(query) {
  const result = {};
  const text = query.startsWith('?') ? query.slice(1) : query;
  if (text === '') return result;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const index = pair.indexOf('=');
    const rawKey = index === -1 ? pair : pair.slice(0, index);
    const rawValue = index === -1 ? '' : pair.slice(index + 1);
    result[decodeComponent(rawKey)] = decodeComponent(rawValue);
  }
  return result;
}

module.exports = { parse };
