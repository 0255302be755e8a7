// The `docket` CLI as people use it: a real process against the test stack, a worker answering.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CliRun, runDocket } from '../support/docket-cli';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { stackEnv } from '@docket/local/stack/stack';
import type { OutputDocument } from '../../lib/document-model';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { outputSchemaErrors } from '../support/output-schema';
import { LifecycleSuite } from '../support/lifecycle';

const suite = new LifecycleSuite('cli');
// The corpus invoice with a unique trailer: other suites on the shared stack process the same
// document, and identical bytes would make this one a DUPLICATE of theirs.
const invoiceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-cli-invoice-'));
const invoice = path.join(invoiceDir, 'sample-invoice.pdf');
fs.writeFileSync(invoice, uniqueCorpusDocument('sample-invoice.pdf'));
// A queue of its own: the CLI must start documents on DOCKET_TASK_QUEUE, where this suite's worker
// polls, and not on the shared default queue.
const taskQueue = `cli-test-${randomUUID().slice(0, 8)}`;
const env: NodeJS.ProcessEnv = { ...process.env, ...stackEnv(suite.stack), DOCKET_TASK_QUEUE: taskQueue };
delete env.DOCKET_TOKEN;
/** Alice's development token: review commands act as the reviewer DOCKET_TOKEN proves. */
let alice: NodeJS.ProcessEnv = {};

function docket(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runDocket(args, { ...env, ...extraEnv });
}

beforeAll(async () => {
  await suite.setUp();
  alice = { DOCKET_TOKEN: await fetchDevToken(suite.stack.auth.issuer, 'alice') };
});
afterAll(async () => {
  await suite.tearDown();
  fs.rmSync(invoiceDir, { recursive: true, force: true });
});

it('starts a local file, routes it to review, takes a correction and an approval, and decrypts the output', async () => {
  await suite.withWorker(async () => {
    const started = await docket(['start', invoice, '--profile', 'invoice', '--wait']);
    expect(started.stderr).not.toMatch(/docket:/);
    expect(started.code).toBe(0);
    const documentId = /\] (\S+) started/.exec(started.stdout)?.[1];
    // The id names no file: ids are in the clear in logs, workflow ids and the Temporal UI.
    expect(documentId).toMatch(/^doc-[0-9a-f]{24}$/);
    // The invoice profile requires invoice_number; the recorded Textract response has no such key.
    expect(started.stdout).toContain(`${documentId} AWAITING_REVIEW`);
    expect(started.stdout).toContain('invoice_number');
    expect(started.stdout).toContain(`docket approve ${documentId}`);

    const again = await docket(['start', invoice, '--profile', 'invoice']);
    expect(again.stdout).toContain(`${documentId} already started`);

    const early = await docket(['output', documentId!]);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain(`document ${documentId} has no output yet: it is AWAITING_REVIEW`);

    const listed = await docket(['list', '--status', 'AWAITING_REVIEW', '--json']);
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { documentId: string }[]).map((d) => d.documentId);
    expect(ids.filter((id) => id === documentId)).toHaveLength(1);

    const refused = await docket(['correct', documentId!, '-f', 'no_such_field=1'], alice);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('fields.no_such_field is not a field of this document');

    const corrected = await docket(['correct', documentId!, '-f', 'invoice_number=INV-CORRECTED-42'], alice);
    expect(corrected.code).toBe(0);
    expect(corrected.stdout).toContain('correct recorded as Alice Archer');
    const approved = await docket(['approve', documentId!, '-c', 'checked against the PDF'], alice);
    expect(approved.code).toBe(0);

    // The audit holds the token's name and subject.
    const state = await waitForStatus(documentId!, 'SUCCEEDED');
    expect(state.reviewActions.map((a) => `${a.action}:${a.reviewer}:${a.reviewerId}`)).toEqual([
      'correct:Alice Archer:dev-alice',
      'approve:Alice Archer:dev-alice',
    ]);

    // A wrong action names the document's real state, with its own exit code (not "no document").
    const late = await docket(['approve', documentId!], alice);
    expect(late.code).toBe(4);
    expect(late.stderr).toContain(`document ${documentId} is SUCCEEDED, not awaiting review`);
    expect((await docket(['reject', documentId!, '--reason', 'late'], alice)).code).toBe(4);

    const summary = await docket(['output', documentId!]);
    expect(summary.code).toBe(0);
    expect(summary.stdout.startsWith(`${documentId}  SUCCEEDED  (`)).toBe(true);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-cli-'));
    try {
      const file = path.join(dir, 'out.json');
      const output = await docket(['output', documentId!, '--out', file]);
      expect(output.code).toBe(0);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as OutputDocument;
      expect(doc.status).toBe('SUCCEEDED');
      // What a consumer gets validates against the published schema.
      expect(outputSchemaErrors(doc)).toEqual([]);
      // invoice_number was a required field Textract did not find: the reviewer's value is a correction.
      expect(doc.corrections).toMatchObject([
        { name: 'invoice_number', extractedText: null, text: 'INV-CORRECTED-42', reviewer: 'Alice Archer' },
      ]);
      expect(doc.tables.map((t) => `${t.rowCount}x${t.columnCount}`)).toEqual(['5x2', '2x5', '3x2']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // The invoice's line items (its second table, in document order), as CSV.
    const csv = await docket(['output', documentId!, '--format', 'csv', '--table', '2']);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')).toEqual([
      'Hrs/Qty,Service,Rate/Price,Adjust,Sub Total',
      expect.stringMatching(/^1\.00,Web Design This is a sample description.*,\$85\.00,0\.00%,\$85\.00$/),
      '',
    ]);
    const markdown = await docket(['output', documentId!, '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('| Hrs/Qty | Service | Rate/Price | Adjust | Sub Total |');
  }, taskQueue);
});

it('cancels a document awaiting review and re-drives it with the same id', async () => {
  await suite.withWorker(async () => {
    // Named like the corpus invoice so the local Textract serves its recorded response.
    fs.mkdirSync(path.join(invoiceDir, 'cancel'), { recursive: true });
    const file = path.join(invoiceDir, 'cancel', 'sample-invoice.pdf');
    fs.writeFileSync(file, uniqueCorpusDocument('sample-invoice.pdf'));
    const started = await docket(['start', file, '--profile', 'invoice', '--wait']);
    const documentId = /\] (\S+) started/.exec(started.stdout)?.[1];
    expect(started.stdout).toContain(`${documentId} AWAITING_REVIEW`);

    const cancelled = await docket(['cancel', documentId!]);
    expect(cancelled.code).toBe(0);
    const state = await waitForStatus(documentId!, 'FAILED');
    expect(state.failure).toMatchObject({ type: 'Cancelled', phase: 'REVIEW' });
    const closed = await docket(['correct', documentId!, '-f', 'invoice_number=1'], alice);
    expect(closed.code).toBe(4);
    expect(closed.stderr).toContain(`document ${documentId} is FAILED, not awaiting review`);
    const again = await docket(['cancel', documentId!]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has already finished; nothing to cancel');

    // Re-drive: the same id starts a new run, which processes the bytes again (the claim was released).
    const redriven = await docket(['start', file, '--profile', 'invoice', '--id', documentId!, '--wait']);
    expect(redriven.stdout).toContain(`${documentId} AWAITING_REVIEW`);
    // The token from a file instead of the environment.
    const tokenFile = path.join(invoiceDir, 'token');
    fs.writeFileSync(tokenFile, `${alice.DOCKET_TOKEN}\n`, { mode: 0o600 });
    const rejected = await docket([
      'reject',
      documentId!,
      '--reason',
      'test done',
      '--token-file',
      tokenFile,
    ]);
    expect(rejected.code).toBe(0);
  }, taskQueue);
});

async function waitForStatus(documentId: string, status: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await docket(['status', documentId, '--json']);
    const state = JSON.parse(res.stdout) as {
      status: string;
      reviewActions: { action: string; reviewer: string; reviewerId?: string }[];
      failure?: { type: string; phase: string };
    };
    if (state.status === status) return state;
    if (Date.now() > deadline) throw new Error(`${documentId} is ${state.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('errors say what to do, with distinct exit codes', () => {
  it('an unknown document is exit 3', async () => {
    for (const command of [['status'], ['cancel'], ['output', '--format', 'markdown']]) {
      const res = await docket([...command, 'no-such-document']);
      expect(res.code).toBe(3);
      expect(res.stderr).toContain('no document no-such-document');
    }
  });

  it('a missing file is exit 3 and names the path', async () => {
    const res = await docket(['start', '/nonexistent/scan.pdf']);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('/nonexistent/scan.pdf is not a file');
  });

  it('an unknown profile is refused with the known ones listed', async () => {
    const res = await docket(['start', invoice, '--profile', 'passport']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("unknown profile 'passport'; known: text, forms, invoice");
  });

  it('review input over a limit is refused before anything is sent, naming the limit', async () => {
    const res = await docket(['approve', 'no-such-document', '-c', 'x'.repeat(2_001)], alice);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('comment is longer than 2000 characters');
    // Refused locally: the unknown document was never asked about.
    expect(res.stderr).not.toContain('no document');
    const key = await docket(['correct', 'no-such-document', '-f', `${'k'.repeat(201)}=1`], alice);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('a field name is longer than 200 characters');
    expect(key.stderr).not.toContain('k'.repeat(201));
  });

  it('a review without a valid reviewer token is exit 5, saying how to get one, and reaches no document', async () => {
    const none = await docket(['approve', 'some-document']);
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('docket: no token: set DOCKET_TOKEN');
    const forged = `${alice.DOCKET_TOKEN!.slice(0, -6)}AAAAAA`;
    const bad = await docket(['approve', 'some-document'], { DOCKET_TOKEN: forged });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain("the token is not accepted: the token's signature does not verify");
    const sam = await fetchDevToken(suite.stack.auth.issuer, 'sam');
    const submitter = await docket(['reject', 'some-document', '--reason', 'x'], { DOCKET_TOKEN: sam });
    expect(submitter.code).toBe(5);
    expect(submitter.stderr).toContain('Sam Sato may not do this: it needs the role reviewer');
    // A name typed on the command line is no identity any more.
    const typed = await docket(['approve', 'some-document', '--reviewer', 'alice'], alice);
    expect(typed.code).toBe(2);
    expect(typed.stderr).toContain("unknown option '--reviewer'");
  });

  it('missing configuration names the variable', async () => {
    const res = await docket(['list'], { DOCKET_KMS_KEY_ID: '' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('DOCKET_KMS_KEY_ID is required');
  });
});
