/**
 * Splits a template into tokens:
 *   { type: 'text', value } | { type: 'name', key } | { type: 'section', key, inverted, children }
 */
export function tokenize(template) {
  const root = [];
  const stack = [{ key: null, children: root }];
  const tag = /\{\{\s*([#^/]?)\s*([\w.]+)\s*\}\}/g;
  let last = 0;
  let match;
  while ((match = tag.exec(template)) !== null) {
    const current = stack[stack.length - 1].children;
    if (match.index > last) current.push({ type: 'text', value: template.slice(last, match.index) });
    const [, sigil, key] = match;
    if (sigil === '#' || sigil === '^') {
      const section = { type: 'section', key, inverted: sigil === '^', children: [] };
      current.push(section);
      stack.push(section);
    } else if (sigil === '/') {
      const open = stack.pop();
      if (open.key !== key) throw new SyntaxError(`unexpected {{/${key}}}, open section is ${open.key ?? 'none'}`);
    } else {
      current.push({ type: 'name', key });
    }
    last = tag.lastIndex;
  }
  if (stack.length > 1) throw new SyntaxError(`unclosed section ${stack[stack.length - 1].key}`);
  if (last < template.length) stack[0].children.push({ type: 'text', value: template.slice(last) });
  return root;
}
