#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher that loads tsx first */
// `npx docket …` from the repository: runs the TypeScript CLI through tsx, no build step needed.
require('tsx/cjs');
const { main } = require('../clients/cli.ts');
main(process.argv.slice(2)).then((code) => process.exit(code));
