import test from 'node:test';
import assert from 'node:assert/strict';
import { formatCsv, parseCsv, toObjects } from '../src/index.js';

test('simple rows', () => {
  assert.deepEqual(parseCsv('a,b\r\n1,2\n'), [['a', 'b'], ['1', '2']]);
});

test('custom delimiter', () => {
  assert.deepEqual(parseCsv('a;b\n1;2', { delimiter: ';' }), [['a', 'b'], ['1', '2']]);
});

test('format quotes when needed', () => {
  assert.equal(formatCsv([['x', 'a,b', 'say "hi"']]), 'x,"a,b","say ""hi"""\n');
});

test('records from header', () => {
  assert.deepEqual(toObjects('name,age\nAnn,31\n'), [{ name: 'Ann', age: '31' }]);
});

test('ragged row names its line', () => {
  assert.throws(() => toObjects('a,b\n1\n'), /row 2 has 1 fields/);
});
