'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Emitter } = require('../src/emitter');

test('on and emit pass arguments in order', () => {
  const e = new Emitter();
  const seen = [];
  e.on('x', (a, b) => seen.push(['first', a, b]));
  e.on('x', (a) => seen.push(['second', a]));
  assert.equal(e.emit('x', 1, 2), true);
  assert.deepEqual(seen, [['first', 1, 2], ['second', 1]]);
});

test('once fires a single time', () => {
  const e = new Emitter();
  let calls = 0;
  e.once('x', () => calls++);
  e.emit('x');
  e.emit('x');
  assert.equal(calls, 1);
  assert.equal(e.listenerCount('x'), 0);
});

test('the function returned by on unsubscribes', () => {
  const e = new Emitter();
  let calls = 0;
  const off = e.on('x', () => calls++);
  off();
  assert.equal(e.emit('x'), false);
  assert.equal(calls, 0);
});

test('non-function listener is rejected', () => {
  assert.throws(() => new Emitter().on('x', 'nope'), TypeError);
});
