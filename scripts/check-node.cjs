#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, so any Node can run it */
// Stops `npm test` at once, saying what to do, on a Node older than package.json's engines: on an
// older Node the suite would run and fail in places that do not say why (the AWS SDK warns about
// the Node version on stderr, which the CLI's tests expect empty).
'use strict';
const path = require('node:path');

/** Whether `version` ("20.20.2") is below the ">=22.12" style minimum of `engines`. */
function tooOld(version, engines) {
  const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(engines.trim());
  if (!minimum) throw new Error(`package.json engines.node is not a ">=" range: ${engines}`);
  const have = version.replace(/^v/, '').split('.').map(Number);
  const need = minimum.slice(1).map((part) => Number(part ?? 0));
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) < need[i];
  }
  return false;
}

if (require.main === module) {
  const engines = require(path.join(__dirname, '..', 'package.json')).engines.node;
  if (tooOld(process.versions.node, engines)) {
    console.error(
      `docket needs Node ${engines} (24 recommended); this is ${process.version}.\n` +
        'Put the pinned Node first on PATH, then run the command again:\n' +
        '  eval "$(bash scripts/node.sh --env)"',
    );
    process.exit(1);
  }
}

module.exports = { tooOld };
