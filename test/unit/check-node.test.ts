// `npm test` stops at once on a Node older than package.json's engines, rather than failing later.
/* eslint-disable @typescript-eslint/no-require-imports -- the script is plain CommonJS */
const { tooOld } = require('../../scripts/check-node.cjs') as {
  tooOld: (version: string, engines: string) => boolean;
};

it('calls a Node below the engines minimum too old, and the minimum or newer fine', () => {
  expect(tooOld('20.20.2', '>=22.12')).toBe(true);
  expect(tooOld('v22.11.9', '>=22.12')).toBe(true);
  expect(tooOld('22.12.0', '>=22.12')).toBe(false);
  expect(tooOld('24.22.3', '>=22.12')).toBe(false);
  expect(tooOld('23.0.0', '>=22.12.1')).toBe(false);
  expect(() => tooOld('24.0.0', '^22')).toThrow('not a ">=" range');
  // The engines this repository declares: the Node running the tests satisfies them.
  const { engines } = require('../../package.json') as { engines: { node: string } };
  expect(tooOld(process.versions.node, engines.node)).toBe(false);
});
