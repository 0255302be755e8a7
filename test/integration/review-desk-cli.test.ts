// The review desk through the `docket` CLI on the real stack: claim and release (forced by an
// operator), a critical field's second approval, an audit sample, and review-stats reading them back.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CliRun, runDocket } from '../support/docket-cli';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { stackEnv } from '@docket/local/stack/stack';
import { type DocumentState, documentWorkflowId } from '../../lib/contract';
import type { ReviewStats } from '../../clients/review-stats';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { eventually, LifecycleSuite } from '../support/lifecycle';

const suite = new LifecycleSuite('desk-cli');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-desk-cli-'));
const run = randomUUID().slice(0, 8);
const critical = `desk-critical-${run}`;
const sampled = `desk-sampled-${run}`;
const invoiceTextract = {
  api: 'ANALYSIS',
  features: ['FORMS', 'TABLES', 'QUERIES'],
  queries: [{ text: 'What is the invoice number?', alias: 'invoice_number' }],
};
const profilesFile = path.join(dir, 'profiles.json');
fs.writeFileSync(
  profilesFile,
  JSON.stringify({
    // The recorded invoice has no invoice_number: a MISSING_REQUIRED item on a critical field.
    [critical]: {
      textract: invoiceTextract,
      defaultThreshold: 0,
      requiredFields: ['invoice_number'],
      criticalFields: ['invoice_number'],
      claimIdle: '10 minutes',
    },
    // Every clean document is an audit sample.
    [sampled]: { textract: invoiceTextract, defaultThreshold: 0, sampleRate: 1 },
  }),
);
const taskQueue = `desk-cli-${run}`;
const env = {
  ...process.env,
  ...stackEnv(suite.stack),
  DOCKET_TASK_QUEUE: taskQueue,
  DOCKET_PROFILES_FILE: profilesFile,
};

type DevUser = 'alice' | 'bob' | 'olga';
/** Each dev user's access token from the stack's development issuer (reviewers sign in). */
const tokens: Partial<Record<DevUser, string>> = {};

function docket(args: string[], as?: DevUser): Promise<CliRun> {
  return runDocket(args, as ? { ...env, DOCKET_TOKEN: tokens[as] } : env);
}

/** A unique copy of the corpus invoice, named so the local Textract serves its recorded response. */
function invoiceFile(name: string): string {
  fs.mkdirSync(path.join(dir, name));
  const file = path.join(dir, name, 'sample-invoice.pdf');
  fs.writeFileSync(file, uniqueCorpusDocument('sample-invoice.pdf'));
  return file;
}

async function state(documentId: string): Promise<DocumentState> {
  return JSON.parse((await docket(['status', documentId, '--json'])).stdout) as DocumentState;
}

beforeAll(async () => {
  await suite.setUp();
  for (const user of ['alice', 'bob', 'olga'] as const) {
    tokens[user] = await fetchDevToken(suite.stack.auth.issuer, user);
  }
});
afterAll(async () => {
  await suite.tearDown();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('claim, forced release, two approvals for a critical field, a sample, then review-stats', async () => {
  await suite.withWorker(async () => {
    const documentId = `desk-${run}`;
    const started = await docket([
      'start',
      invoiceFile('critical'),
      '--profile',
      critical,
      '--id',
      documentId,
      '--wait',
    ]);
    expect(started.stdout).toContain(`${documentId} AWAITING_REVIEW`);
    suite.workflowIds.push(documentWorkflowId(documentId));

    const claimed = await docket(['claim', documentId], 'alice');
    expect(claimed.code).toBe(0);
    expect(claimed.stdout).toMatch(/claimed by Alice Archer until \d{4}-/);
    const taken = await docket(['claim', documentId], 'bob');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('claim refused: the document is claimed by Alice Archer until');
    expect((await docket(['approve', documentId], 'bob')).stderr).toContain('claimed by Alice Archer');
    expect((await docket(['release', documentId], 'bob')).stderr).toContain(
      'only its holder, or an operator with force',
    );
    // Forcing is an operator's act: a reviewer's token is refused before anything is sent.
    const notOperator = await docket(['release', documentId, '--force'], 'bob');
    expect(notOperator.code).toBe(5);
    expect(notOperator.stderr).toContain('it needs the role operator');
    expect((await docket(['release', documentId, '--force'], 'olga')).code).toBe(0);
    expect((await state(documentId)).releases).toMatchObject([
      { reviewer: 'Olga Ortiz', reviewerId: 'dev-olga', holder: 'Alice Archer', forced: true },
    ]);

    expect((await docket(['correct', documentId, '-f', 'invoice_number=INV-7'], 'bob')).code).toBe(0);
    const first = await docket(['approve', documentId], 'bob');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('status AWAITING_REVIEW');
    expect((await docket(['status', documentId])).stdout).toContain('approvals    1 of 2 (Bob Baker)');
    const twice = await docket(['approve', documentId], 'bob');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('a different reviewer must approve');
    expect((await docket(['approve', documentId], 'alice')).code).toBe(0);
    await eventually('the critical document to succeed', async () =>
      (await state(documentId)).status === 'SUCCEEDED' ? true : undefined,
    );

    const sampleId = `desk-sample-${run}`;
    const sample = await docket([
      'start',
      invoiceFile('sample'),
      '--profile',
      sampled,
      '--id',
      sampleId,
      '--wait',
    ]);
    expect(sample.stdout).toContain(`${sampleId} AWAITING_REVIEW`);
    suite.workflowIds.push(documentWorkflowId(sampleId));
    const s = await state(sampleId);
    expect(s.sampled).toBe(true);
    expect(s.review.map((i) => i.reason)).toEqual(['SAMPLED']);
    expect((await docket(['approve', sampleId], 'alice')).code).toBe(0);
    await eventually('the sample to succeed', async () =>
      (await state(sampleId)).status === 'SUCCEEDED' ? true : undefined,
    );

    const stats = await eventually('both documents in review-stats', async () => {
      const res = await docket(['review-stats', '--json']);
      const parsed = JSON.parse(res.stdout) as ReviewStats;
      const mine = parsed.profiles.filter((p) => p.profile === critical || p.profile === sampled);
      return mine.length === 2 ? mine : undefined;
    });
    expect(stats).toEqual([
      {
        profile: critical,
        reviewed: 1,
        sampled: 0,
        sampledCorrected: 0,
        corrected: 1,
        correctionsByField: { invoice_number: 1 },
      },
      {
        profile: sampled,
        reviewed: 1,
        sampled: 1,
        sampledCorrected: 0,
        corrected: 0,
        correctionsByField: {},
      },
    ]);
    const human = await docket(['review-stats', '--profile', critical, '--since', '2020-01-01']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`profile ${critical}`);
    expect(human.stdout).toMatch(/invoice_number\s+1/);
    expect(human.stdout).not.toContain(sampled);
  }, taskQueue);
  await expect(suite.replayAll()).resolves.toEqual([]);
  // About 20 CLI processes, each starting Node and connecting to Temporal: generous on a busy machine.
}, 300_000);
