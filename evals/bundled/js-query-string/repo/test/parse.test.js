'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { parse } = require('../src');

test('parses pairs', () => {
  assert.deepEqual(parse('?a=1&b=two'), { a: '1', b: 'two' });
});

test('decodes percent escapes', () => {
  assert.deepEqual(parse('name=J%C3%BCrgen&q=a%26b'), { name: 'Jürgen', q: 'a&b' });
});

test('key without value is empty', () => {
  assert.deepEqual(parse('flag&x='), { flag: '', x: '' });
});

test('malformed escape is kept', () => {
  assert.deepEqual(parse('bad=%E0%A4%A'), { bad: '%E0%A4%A' });
});
