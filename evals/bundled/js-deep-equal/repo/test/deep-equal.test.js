import test from 'node:test';
import assert from 'node:assert/strict';
import { deepEqual, diff } from '../lib/index.js';

test('primitives', () => {
  assert.equal(deepEqual(1, 1), true);
  assert.equal(deepEqual('a', 'b'), false);
  assert.equal(deepEqual(null, undefined), false);
});

test('nested objects and arrays', () => {
  assert.equal(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
  assert.equal(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }), false);
  assert.equal(deepEqual([1, 2], { 0: 1, 1: 2 }), false);
});

test('diff lists changed paths', () => {
  assert.deepEqual(diff({ user: { name: 'a' }, tags: [1, 2] }, { user: { name: 'b' }, tags: [1, 3] }), ['user.name', 'tags[1]']);
});
