#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher of the compiled CLI */
// `docket …`: runs the compiled CLI. `npm ci` builds it (npm's prepare step runs `npm run build`);
// after changing the TypeScript, run `npm run build` again, or `npm run dev:docket -- …` for tsx.
const fs = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, '..', 'dist', 'clients', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error(`docket: ${path.relative(process.cwd(), cli)} is missing: run 'npm run build' first`);
  process.exit(2);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
