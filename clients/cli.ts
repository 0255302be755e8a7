/*
 * The `docket` command line: start documents, watch them, review them, read their output.
 * Exit codes: 0 done, 1 the document failed or the request was refused, 2 usage or configuration
 * error (review input over a limit included), 3 not found, 4 the document is not in a state that
 * allows the action (the message names its status), 5 no valid identity (review commands need a
 * verified DOCKET_TOKEN with the right role). `--json` prints machine-readable output on stdout.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../lib/config';
import { type DocumentState, DocumentStatus, liveClaim, type ReviewInput } from '../lib/contract';
import { UnsupportedOutputError } from '../lib/exports/formats';
import { reviewInputProblem } from '../lib/review-input';
import { DelegateError, delegatedScripts, runDelegated } from './cli-delegate';
import { reviewerIdentity } from '../lib/auth/principal';
import { cliPrincipal, cliReviewer, IdentityError } from './cli-identity';
import { addOutputCommand, UsageError } from './cli-output';
import { addReuseCommands } from './cli-reuse';
import { loadClientConfig } from './config';
import { ConflictError, DocketClient, NotFoundError, RequestError } from './documents';
import { formatCostReport } from './cost-report';
import { formatReviewStats } from './review-stats';

/** Polls `status` until the document is finished or waits for a person. */
async function waitForOutcome(client: DocketClient, documentId: string): Promise<DocumentState> {
  const settled: string[] = [
    DocumentStatus.SUCCEEDED,
    DocumentStatus.FAILED,
    DocumentStatus.DUPLICATE,
    DocumentStatus.AWAITING_REVIEW,
  ];
  for (;;) {
    const state = await client.status(documentId);
    if (settled.includes(state.status)) return state;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2, NOT_FOUND: 3, WRONG_STATE: 4, IDENTITY: 5 } as const;

interface GlobalOptions {
  json?: boolean;
}

type Print = (human: string, json: unknown) => void;

async function withClient<T>(body: (client: DocketClient) => Promise<T>): Promise<T> {
  const client = await DocketClient.connect(loadClientConfig());
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

function describeState(s: DocumentState): string {
  const lines = [`${s.documentId}  ${s.status}  (profile ${s.profile})`];
  for (const t of s.transitions) lines.push(`  ${t.at}  ${t.status}`);
  if (s.checksum) lines.push(`  checksum     ${s.checksum}`);
  if (s.textractJobId) lines.push(`  textract job ${s.textractJobId}`);
  if (s.pages !== undefined) lines.push(`  pages        ${s.pages}`);
  if (s.cost) {
    const c = s.cost;
    lines.push(
      `  cost         $${c.total.toFixed(6)} (textract $${c.textract.usd.toFixed(6)}, temporal ${c.temporal.actions} actions $${c.temporal.usd.toFixed(6)}, kms ${c.kms.requests} requests $${c.kms.usd.toFixed(6)})`,
    );
  }
  for (const r of s.review) {
    const conf = r.confidence === undefined ? 'missing' : `confidence ${r.confidence.toFixed(1)}`;
    lines.push(`  review       ${r.field}: ${r.reason} (${conf}, threshold ${r.threshold})`);
  }
  for (const a of s.reviewActions) {
    lines.push(
      `  action       ${a.at} ${a.action} by ${a.reviewer}${a.action === 'correct' ? ` (${a.field})` : ''}`,
    );
  }
  for (const m of s.ignoredMessages) lines.push(`  ignored      ${m.at} ${m.name}: ${m.problem}`);
  // Only the latest ignored messages are kept; the count covers them all.
  const unlisted = (s.ignoredCount ?? 0) - s.ignoredMessages.length;
  if (unlisted > 0) lines.push(`  ignored      ${unlisted} earlier message(s) not listed`);
  if (s.sampled) lines.push('  sampled      an audit sample of a clean document');
  const claim = liveClaim(s);
  if (claim) lines.push(`  claimed by   ${claim.reviewer} until ${claim.expiresAt}`);
  if ((s.approvalsNeeded ?? 1) > 1) {
    const who = (s.approvals ?? []).map((a) => a.reviewer).join(', ') || 'nobody yet';
    lines.push(`  approvals    ${(s.approvals ?? []).length} of ${s.approvalsNeeded} (${who})`);
  }
  if (s.reviewSlaAt) lines.push(`  review SLA   ${s.reviewSlaAt}${s.overdue ? ' (overdue)' : ''}`);
  if (s.reviewDueAt && s.status === DocumentStatus.AWAITING_REVIEW)
    lines.push(`  review due   ${s.reviewDueAt}`);
  if (s.output) lines.push(`  output       s3://${s.output.bucket}/${s.output.key}`);
  if (s.duplicateOf) lines.push(`  duplicate of ${s.duplicateOf.documentId}`);
  if (s.failure) lines.push(`  failure      ${s.failure.type} in ${s.failure.phase}: ${s.failure.message}`);
  return lines.join('\n');
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function fieldPairs(values: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new RequestError(`--field takes name=value, got '${pair}'`);
    fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return fields;
}

function sinceOption(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const since = new Date(value);
  if (Number.isNaN(since.getTime())) throw new UsageError(`--since takes a date, got '${value}'`);
  return since;
}

export function buildProgram(print: Print): Command {
  const program = new Command('docket')
    .description('Durable document extraction: S3 in, Textract, Temporal, encrypted structured data out.')
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .exitOverride();
  const json = () => Boolean(program.opts<GlobalOptions>().json);
  void json;

  program
    .command('start')
    .description('start documents from s3://bucket/key URIs or local files (uploaded to DOCKET_INPUT_BUCKET)')
    .argument('<sources...>')
    .addOption(new Option('-p, --profile <name>', 'document profile').default('forms'))
    .option('--id <documentId>', 'document id (one source only); default derived from the source')
    .option('-w, --wait', 'wait until each document finishes and print its outcome')
    .action(async (sources: string[], opts: { profile: string; id?: string; wait?: boolean }) => {
      if (opts.id && sources.length > 1) throw new RequestError('--id takes one source at a time');
      await withClient(async (client) => {
        const results = [];
        let failed = false;
        for (const [i, source] of sources.entries()) {
          const started = await client.start({ source, profile: opts.profile, documentId: opts.id });
          const verb = started.started ? 'started' : 'already started';
          print(
            `[${i + 1}/${sources.length}] ${started.documentId} ${verb} (workflow ${started.workflowId})`,
            null,
          );
          results.push({ ...started, result: undefined as unknown });
        }
        if (opts.wait) {
          for (const r of results) {
            const state = await waitForOutcome(client, r.documentId);
            r.result = { status: state.status, failure: state.failure, output: state.output };
            if (state.status === DocumentStatus.FAILED) {
              failed = true;
              print(
                `${r.documentId} FAILED: ${state.failure?.type} in ${state.failure?.phase}: ${state.failure?.message}`,
                null,
              );
            } else if (state.status === DocumentStatus.AWAITING_REVIEW) {
              const fields = state.review.map((i) => i.field).join(', ');
              print(
                `${r.documentId} AWAITING_REVIEW (${state.review.length} field(s): ${fields})\n` +
                  `  review it (as the reviewer DOCKET_TOKEN proves): docket correct ${r.documentId} -f <field>=<value>; docket approve ${r.documentId}`,
                null,
              );
            } else {
              print(`${r.documentId} ${state.status}`, null);
            }
          }
        }
        print('', results);
        if (failed) process.exitCode = ExitCode.FAILED;
      });
    });

  program
    .command('status')
    .description("a document's state, review items, actions and failure")
    .argument('<documentId>')
    .action(async (documentId: string) => {
      const state = await withClient((c) => c.status(documentId));
      print(describeState(state), state);
    });

  program
    .command('list')
    .description('documents, newest first, optionally by status')
    .option('-s, --status <status>', 'RECEIVED, PROCESSING, AWAITING_REVIEW, SUCCEEDED, FAILED or DUPLICATE')
    .option('-n, --limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 100)
    .action(async (opts: { status?: string; limit: number }) => {
      const docs = await withClient((c) => c.list(opts.status, opts.limit));
      const human = docs.map((d) => `${d.documentId}  ${d.status ?? '-'}  ${d.startTime.toISOString()}`);
      print(human.length ? human.join('\n') : 'no documents', docs);
    });

  /*
   * Review commands act as the verified token's subject and name (DOCKET_TOKEN or --token-file);
   * the identity is proven before docket is contacted.
   */
  type ReviewOptions = Record<string, unknown> & { tokenFile?: string };
  const review =
    (
      action: ReviewInput['action'],
      build: (opts: ReviewOptions) => DistributiveOmit<ReviewInput, 'reviewer' | 'reviewerId'>,
    ) =>
    async (documentId: string, opts: ReviewOptions) => {
      const who = await cliReviewer(opts.tokenFile ? { tokenFile: opts.tokenFile } : {});
      const input = { ...build(opts), ...who } as ReviewInput;
      // Sizes and shape are checked here, before anything reaches Temporal (reviewLimits).
      const problem = reviewInputProblem(input);
      if (problem) throw new UsageError(`${action}: ${problem}`);
      const result = await withClient((c) => c.review(documentId, input));
      print(`${documentId} ${action} recorded as ${who.reviewer}; status ${result.status}`, result);
    };
  const tokenFileOption = () =>
    new Option('--token-file <path>', 'a file holding your access token (default: DOCKET_TOKEN)');
  program
    .command('approve')
    .description('approve a document awaiting review, as the reviewer your token proves')
    .argument('<documentId>')
    .option('-c, --comment <text>')
    .addOption(tokenFileOption())
    .action(review('approve', (o) => ({ action: 'approve', comment: o.comment as string | undefined })));
  program
    .command('reject')
    .description('reject a document awaiting review, as the reviewer your token proves')
    .argument('<documentId>')
    .requiredOption('--reason <text>', 'why')
    .addOption(tokenFileOption())
    .action(review('reject', (o) => ({ action: 'reject', reason: String(o.reason) })));
  program
    .command('correct')
    .description('correct fields of a document awaiting review, as the reviewer your token proves')
    .argument('<documentId>')
    .requiredOption('-f, --field <name=value...>', 'new value of a field (repeatable)')
    .addOption(tokenFileOption())
    .action(review('correct', (o) => ({ action: 'correct', fields: fieldPairs(o.field as string[]) })));
  program
    .command('claim')
    .description('hold a document for review: others cannot act on it until you release it or it lapses')
    .argument('<documentId>')
    .addOption(tokenFileOption())
    .action(async (documentId: string, opts: ReviewOptions) => {
      const who = await cliReviewer(opts.tokenFile ? { tokenFile: opts.tokenFile } : {});
      const result = await withClient((c) => c.claim(documentId, who));
      print(`${documentId} claimed by ${who.reviewer} until ${result.claim?.expiresAt ?? '?'}`, result);
    });
  program
    .command('release')
    .description("give up your claim on a document (--force: an operator ends someone else's)")
    .argument('<documentId>')
    .option('--force', "release another reviewer's claim (operators only)")
    .addOption(tokenFileOption())
    .action(async (documentId: string, opts: ReviewOptions & { force?: boolean }) => {
      const force = opts.force === true;
      // Forcing someone else's claim off is an operator's act; giving up your own is a reviewer's.
      const principal = await cliPrincipal({
        ...(opts.tokenFile ? { tokenFile: opts.tokenFile } : {}),
        roles: force ? ['operator'] : ['reviewer', 'operator'],
      });
      const who = reviewerIdentity(principal);
      const result = await withClient((c) => c.release(documentId, who, { force }));
      print(`${documentId} released; status ${result.status}`, result);
    });

  program
    .command('review-stats')
    .description('how often reviewers corrected closed documents, per profile and field (sampled ones apart)')
    .option('-p, --profile <name>', 'one profile only')
    .option('--since <date>', 'documents closed at or after this date (ISO 8601, e.g. 2026-11-01)')
    .action(async (opts: { profile?: string; since?: string }) => {
      const since = sinceOption(opts.since);
      const stats = await withClient((c) =>
        c.reviewStats({ ...(opts.profile ? { profile: opts.profile } : {}), ...(since ? { since } : {}) }),
      );
      print(formatReviewStats(stats), stats);
    });

  program
    .command('cost')
    .description('what closed documents cost (Textract pages, Temporal actions, KMS requests), per profile')
    .option('-p, --profile <name>', 'one profile only')
    .option('--since <date>', 'documents closed at or after this date (ISO 8601, e.g. 2026-11-01)')
    .action(async (opts: { profile?: string; since?: string }) => {
      const since = sinceOption(opts.since);
      const report = await withClient((c) =>
        c.costs({ ...(opts.profile ? { profile: opts.profile } : {}), ...(since ? { since } : {}) }),
      );
      print(formatCostReport(report), report);
    });

  program
    .command('cancel')
    .description('cancel a running document: it ends FAILED (Cancelled) and its bytes may run again')
    .argument('<documentId>')
    .action(async (documentId: string) => {
      await withClient((c) => c.cancel(documentId));
      print(
        `${documentId} cancellation requested; re-drive it later with docket start <source> --id ${documentId}`,
        { documentId, cancelRequested: true },
      );
    });

  addOutputCommand(program, print, withClient);
  addReuseCommands(program, print, withClient);

  for (const [name, what] of [
    ['stack', 'run the local stack (Temporal, moto, local Textract) until Ctrl-C; --help for its flags'],
    ['demo', 'run the demo end to end on a fresh local stack; --keep leaves it running'],
  ] as const) {
    program
      .command(name)
      .description(`${what} (same as npm run ${name})`)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]', `passed to ${delegatedScripts[name]}`)
      .action(async (args: string[]) => {
        process.exitCode = await runDelegated(name, args);
      });
  }

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const jsonMode = argv.includes('--json');
  const print: Print = (human, json) => {
    if (jsonMode) {
      if (json !== null) console.log(JSON.stringify(json, null, 2));
    } else if (human) console.log(human);
  };
  const program = buildProgram(print);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const message = (err as Error).message;
    if (err instanceof UsageError) {
      console.error(`docket: ${message}`);
      return ExitCode.USAGE;
    }
    if (err instanceof UnsupportedOutputError) {
      console.error(`docket: ${message}`);
      return ExitCode.FAILED;
    }
    if (err instanceof DelegateError) {
      console.error(`docket: ${message}`);
      return ExitCode.USAGE;
    }
    if (err instanceof IdentityError) {
      console.error(`docket: ${message}`);
      return ExitCode.IDENTITY;
    }
    if (err instanceof ConfigError) {
      console.error(`docket: ${message}\n(the local stack prints these variables: npm run stack)`);
      return ExitCode.USAGE;
    }
    if (err instanceof ConflictError) {
      console.error(`docket: ${message}`);
      return ExitCode.WRONG_STATE;
    }
    if (err instanceof NotFoundError) {
      console.error(`docket: ${message}`);
      return ExitCode.NOT_FOUND;
    }
    if (err instanceof RequestError) {
      console.error(`docket: ${message}`);
      return ExitCode.FAILED;
    }
    console.error(`docket: ${(err as Error).name}: ${message}`);
    return ExitCode.FAILED;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
