import { tokenize } from './tokenize.js';
import { renderTokens } from './render.js';

/** Renders a Mustache-like template: {{name}}, {{a.b}}, sections {{#list}}...{{/list}}, inverted {{^x}}...{{/x}}. */
export function render(template, view) {
  return renderTokens(tokenize(template), [view]);
}

export { escapeHtml } from './escape.js';
