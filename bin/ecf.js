#!/usr/bin/env node
// The `ecf` operator CLI; built by `npm run build` into dist/.
const { join } = require('node:path');
const { existsSync } = require('node:fs');

const entry = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  console.error('The CLI is not built yet: run `npm run build` first.');
  process.exit(1);
}
require(entry).runCli(process.argv);
