#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { toObjects } from './records.js';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: csv2json FILE\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(toObjects(readFileSync(file, 'utf8')), null, 2) + '\n');
