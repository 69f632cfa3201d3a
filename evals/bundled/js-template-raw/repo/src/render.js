import { escapeHtml } from './escape.js';

function lookup(contexts, key) {
  if (key === '.') return contexts[contexts.length - 1];
  const [head, ...rest] = key.split('.');
  for (let i = contexts.length - 1; i >= 0; i--) {
    const context = contexts[i];
    if (context !== null && typeof context === 'object' && head in context) {
      return rest.reduce((value, part) => (value == null ? undefined : value[part]), context[head]);
    }
  }
  return undefined;
}

export function renderTokens(tokens, contexts) {
  let out = '';
  for (const token of tokens) {
    if (token.type === 'text') {
      out += token.value;
    } else if (token.type === 'name') {
      const value = lookup(contexts, token.key);
      out += value == null ? '' : escapeHtml(value);
    } else {
      const value = lookup(contexts, token.key);
      const items = Array.isArray(value) ? value : value ? [value] : [];
      if (token.inverted) {
        if (items.length === 0) out += renderTokens(token.children, contexts);
      } else {
        for (const item of items) out += renderTokens(token.children, [...contexts, item]);
      }
    }
  }
  return out;
}
