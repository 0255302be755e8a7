/*
 * `docket reprocess <id> [--profile P]` and `docket reroute --profile P [--since DATE] [--dry-run]
 * [--concurrency N]`: use stored Textract results again instead of paying for new jobs.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { formatReroute, reroute } from './reroute';
import { reprocessContextOf, reprocessWith } from './reprocess';
import type { DocketClient } from './documents';
import { UsageError } from './cli-output';

type Print = (human: string, json: unknown) => void;
type WithClient = <T>(body: (client: DocketClient) => Promise<T>) => Promise<T>;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('Give a whole number from 1.');
  return n;
}

export function addReuseCommands(program: Command, print: Print, withClient: WithClient): void {
  program
    .command('reprocess')
    .description(
      'rebuild a finished document from its stored Textract result (no Textract call), route it with ' +
        'the profile as configured now and write the next output version',
    )
    .argument('<documentId>')
    .option('-p, --profile <name>', 'profile to route with (default: the one the document ran with)')
    .action(async (documentId: string, opts: { profile?: string }) => {
      const started = await withClient((c) => reprocessWith(c, documentId, opts.profile));
      print(
        `${documentId} reprocessing with profile ${started.profile}: output version ${started.version} ` +
          `(docket status ${documentId}; docket output ${documentId} --versions)`,
        started,
      );
    });

  program
    .command('reroute')
    .description(
      'which finished documents of a profile would change route (clean ↔ review) under its current thresholds; without --dry-run, reprocess them',
    )
    .requiredOption('-p, --profile <name>', 'the profile whose documents and thresholds to use')
    .option('--since <date>', 'documents closed at or after this date (ISO 8601)')
    .option('--dry-run', 'list only; start nothing')
    .option('--concurrency <n>', 'reprocess runs started at once (without --dry-run)', positiveInteger, 2)
    .action(async (opts: { profile: string; since?: string; dryRun?: boolean; concurrency: number }) => {
      let since: Date | undefined;
      if (opts.since !== undefined) {
        since = new Date(opts.since);
        if (Number.isNaN(since.getTime())) throw new UsageError(`--since takes a date, got '${opts.since}'`);
      }
      const dryRun = Boolean(opts.dryRun);
      const result = await withClient(async (c) => {
        const profile = c.profiles[opts.profile];
        if (!profile) {
          throw new UsageError(
            `unknown profile '${opts.profile}'; known: ${Object.keys(c.profiles).join(', ')}`,
          );
        }
        return reroute(reprocessContextOf(c), profile, {
          dryRun,
          concurrency: opts.concurrency,
          ...(since ? { since } : {}),
        });
      });
      print(formatReroute(result, dryRun), result);
    });
}
