'use strict';

/** Decodes one percent-encoded component; malformed escapes are kept as they are. */
function decodeComponent(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

module.exports = { decodeComponent };
