// DOCKET_PROFILES_FILE as a closed vocabulary: every key at every level is known, every duration is
// one Temporal's parser accepts, and each refusal names the profile and the key at fault.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfiles } from '../../clients/profiles';
import { ConfigError } from '../../lib/config';
import { repoRoot } from '@docket/local/stack/tools';

const defaults = { outputBucket: 'docket-output', kmsKeyId: 'alias/docket' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-profiles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const analysis = {
  api: 'ANALYSIS',
  features: ['FORMS', 'QUERIES'],
  queries: [{ text: 'What is the invoice number?', alias: 'invoice_number', pages: ['1'] }],
};

/** A valid profile with `changes` merged in (a key set to undefined is removed). */
function profile(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { textract: analysis, defaultThreshold: 80, ...changes };
}

let files = 0;
function writeProfiles(profiles: unknown): string {
  const file = path.join(dir, `profiles-${++files}.json`);
  fs.writeFileSync(file, JSON.stringify(profiles));
  return file;
}

/** The ConfigError message loading `profiles` throws. */
function refusal(profiles: unknown): string {
  const file = writeProfiles(profiles);
  try {
    loadProfiles(defaults, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain(`DOCKET_PROFILES_FILE=${file} is not valid`);
    return message;
  }
  throw new Error('the profiles file was accepted');
}

describe('unknown keys are errors naming the profile and the key', () => {
  test('at the top level of a profile, with the key it most likely meant', () => {
    const message = refusal({ invoice: profile({ defaultTreshold: 80 }) });
    expect(message).toContain('profile "invoice": unknown key "defaultTreshold"');
    expect(message).toContain('did you mean "defaultThreshold"?');
  });

  test('every unknown key of one object is reported on its own line', () => {
    const message = refusal({ invoice: profile({ requiredField: ['total'], name: 'invoice' }) });
    expect(message).toContain(
      '\n  profile "invoice": unknown key "requiredField" (did you mean "requiredFields"?)',
    );
    expect(message).toMatch(/\n {2}profile "invoice": unknown key "name" \(known keys: textract, /);
  });

  test('inside textract', () => {
    const message = refusal({ scans: profile({ textract: { ...analysis, featurs: ['FORMS'] } }) });
    expect(message).toContain('profile "scans": textract: unknown key "featurs" (did you mean "features"?)');
  });

  test('inside textract for text detection, which takes no features', () => {
    const message = refusal({ plain: profile({ textract: { api: 'TEXT_DETECTION', features: ['FORMS'] } }) });
    expect(message).toContain('profile "plain": textract: unknown key "features" (known keys: api)');
  });

  test('inside output', () => {
    const output = { bucket: 'my-output', kmsKeyId: 'alias/mine', prefx: 'invoices' };
    const message = refusal({ invoice: profile({ output }) });
    expect(message).toContain('profile "invoice": output: unknown key "prefx" (did you mean "prefix"?)');
  });

  test('inside a query', () => {
    const queries = [analysis.queries[0], { text: 'What is the total?', alias: 'total', page: ['1'] }];
    const message = refusal({ invoice: profile({ textract: { ...analysis, queries } }) });
    expect(message).toContain(
      'profile "invoice": textract.queries[1]: unknown key "page" (did you mean "pages"?)',
    );
  });

  test('problems of several profiles are all listed, each with its profile', () => {
    const message = refusal({
      a: profile({ defaultTreshold: 1 }),
      b: profile({ output: { bucket: 'my-output', kmsKeyId: 'k', kms: 'x' } }),
    });
    expect(message).toContain('profile "a": unknown key "defaultTreshold"');
    expect(message).toContain('profile "b": output: unknown key "kms"');
  });
});

describe('durations', () => {
  test('heartbeatTimeout "15 seconds" reaches the resolved profile as written', () => {
    const file = writeProfiles({
      invoice: profile({ heartbeatTimeout: '15 seconds', reviewDeadline: '2 days' }),
    });
    const resolved = loadProfiles(defaults, file).invoice;
    expect(resolved).toMatchObject({
      name: 'invoice',
      heartbeatTimeout: '15 seconds',
      reviewDeadline: '2 days',
    });
    expect(resolved?.output).toEqual({ bucket: 'docket-output', kmsKeyId: 'alias/docket' });
  });

  test.each([
    ['heartbeatTimeout', '2 minutes'],
    ['heartbeatTimeout', 45_000],
    ['heartbeatTimeout', '29m'],
    ['reviewDeadline', '7 days'],
    ['reviewDeadline', '1.5h'],
    ['reviewDeadline', 86_400_000],
  ])('%s %j is accepted', (key, value) => {
    const file = writeProfiles({ p: profile({ [key]: value }) });
    expect(loadProfiles(defaults, file).p?.[key as 'reviewDeadline']).toBe(value);
  });

  test.each([
    ['reviewDeadline', '2 fortnights', '"2 fortnights" is not a duration; use "15 seconds"'],
    ['reviewDeadline', 'soon', '"soon" is not a duration'],
    ['reviewDeadline', '', '"" is not a duration'],
    ['reviewDeadline', '-5s', '"-5s" must be longer than zero'],
    ['reviewDeadline', 0, '0 ms must be longer than zero'],
    ['reviewDeadline', true, 'must be a duration: "15 seconds", "2 minutes", "7 days" or a positive number'],
    ['heartbeatTimeout', '15 parsecs', '"15 parsecs" is not a duration'],
    ['heartbeatTimeout', -1000, '-1000 ms must be longer than zero'],
    ['heartbeatTimeout', 500, '500 ms must be at least 1 second'],
    [
      'heartbeatTimeout',
      '30 minutes',
      '"30 minutes" must be shorter than 30 minutes, the start-to-close timeout',
    ],
    ['heartbeatTimeout', '7 hours', '"7 hours" must be shorter than 30 minutes'],
  ])('%s %j is refused', (key, value, expected) => {
    const message = refusal({ invoice: profile({ [key]: value }) });
    expect(message).toContain(`profile "invoice": ${key}: ${expected}`);
  });
});

test('a missing required key and a bad profile name are named', () => {
  const message = refusal({ 'two words': profile(), invoice: { defaultThreshold: 80 } });
  expect(message).toContain('profile name "two words": profile names are letters, digits, _ . -');
  expect(message).toContain('profile "invoice": textract is required');
});

test('a file that is not an object of profiles is refused', () => {
  expect(refusal([profile()])).toContain(
    'is not valid: the file must be one JSON object of profiles by name',
  );
});

test('every profiles JSON in the repository passes the strict schema', () => {
  const found: string[] = [];
  const skip = new Set(['node_modules', '.git', '.tools', '.data', 'dist', 'coverage', 'test-artifacts']);
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/profiles.*\.json$/.test(entry.name)) found.push(path.relative(repoRoot, full));
    }
  };
  walk(repoRoot);
  expect(found).toContain(path.join('demo', 'profiles.json'));
  for (const file of found) {
    const profiles = loadProfiles(defaults, path.join(repoRoot, file));
    const names = Object.keys(JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as object);
    for (const name of names)
      expect({ file, name, resolved: profiles[name]?.name }).toEqual({ file, name, resolved: name });
  }
});
