'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { stringify } = require('../src');

test('encodes values', () => {
  assert.equal(stringify({ q: 'a b&c', n: 1 }), 'q=a%20b%26c&n=1');
});

test('repeats keys for arrays and skips undefined', () => {
  assert.equal(stringify({ tag: ['x', 'y'], skip: undefined }), 'tag=x&tag=y');
});
