'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { paginate, linkHeader, parsePageParams } = require('../src');

const items = Array.from({ length: 45 }, (_, i) => i + 1);

test('first page', () => {
  const r = paginate(items, { page: 1, perPage: 20 });
  assert.deepEqual(r.items, items.slice(0, 20));
  assert.equal(r.totalPages, 3);
  assert.equal(r.hasPrev, false);
  assert.equal(r.hasNext, true);
});

test('middle page links', () => {
  const header = linkHeader('https://api.test/users?sort=name', paginate(items, { page: 2, perPage: 20 }));
  assert.match(header, /page=1&per_page=20>; rel="prev"/);
  assert.match(header, /page=3&per_page=20>; rel="next"/);
  assert.match(header, /sort=name/);
});

test('params defaults and limits', () => {
  assert.deepEqual(parsePageParams(new URLSearchParams('')), { page: 1, perPage: 20 });
  assert.throws(() => parsePageParams(new URLSearchParams('per_page=500')), RangeError);
  assert.throws(() => parsePageParams(new URLSearchParams('page=0')), RangeError);
});
