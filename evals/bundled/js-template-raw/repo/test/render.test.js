import test from 'node:test';
import assert from 'node:assert/strict';
import { render } from '../src/index.js';

test('variables are escaped', () => {
  assert.equal(render('Hi {{ name }}!', { name: '<b>Ann</b>' }), 'Hi &lt;b&gt;Ann&lt;/b&gt;!');
});

test('dotted names', () => {
  assert.equal(render('{{user.city}}', { user: { city: 'Oslo' } }), 'Oslo');
});

test('sections iterate and inverted sections', () => {
  const t = '{{#items}}<li>{{.}}</li>{{/items}}{{^items}}none{{/items}}';
  assert.equal(render(t, { items: ['a', 'b'] }), '<li>a</li><li>b</li>');
  assert.equal(render(t, { items: [] }), 'none');
});

test('mismatched section is an error', () => {
  assert.throws(() => render('{{#a}}x{{/b}}', {}), SyntaxError);
});
