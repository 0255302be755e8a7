import { CancelledFailure, ApplicationFailure } from '@temporalio/common';
import type { MockActivityEnvironment } from '@temporalio/testing';
import { quietActivityEnvironment } from '../support/quiet-logs';
import { createTextractActivities, type CollectProgress, type PollProgress } from '../../activities/textract';
import { partKey, resultsPrefix, type ExtractionSummary, type NormalizedPart } from '../../lib/extraction';
import { TextractApi, TextractFeature } from '../../lib/profile';
import { AdaptiveRate } from '../../activities/rate-governor';
import { fakeS3, fakeTextract, pageBlocks } from '../support/fake-aws';
import { corpusBlocks, getResponses } from '../support/textract-corpus';

const job = { jobId: 'job-1', api: TextractApi.ANALYSIS };
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

function activities(textract: ReturnType<typeof fakeTextract>, s3 = fakeS3()) {
  return createTextractActivities({
    s3: s3.client,
    textract: textract.client,
    resultsBucket: 'results',
    pollInitialIntervalMs: 5,
    pollMaxIntervalMs: 40,
  });
}

function heartbeats<T>(env: MockActivityEnvironment): T[] {
  const seen: T[] = [];
  env.on('heartbeat', (d: T) => seen.push(d));
  return seen;
}

describe('waiting for the Textract job', () => {
  test('polls with MaxResults 1, backing off, until the job succeeds', async () => {
    let polls = 0;
    const textract = fakeTextract(() => ({
      JobStatus: ++polls < 4 ? 'IN_PROGRESS' : 'SUCCEEDED',
      DocumentMetadata: { Pages: 2 },
    }));
    const env = quietActivityEnvironment();
    const beats = heartbeats<PollProgress>(env);
    const result = await env.run(activities(textract).waitForTextractJob, job);
    expect(result).toMatchObject({ status: 'SUCCEEDED', pages: 2, polls: 4 });
    expect(textract.requests.every((r) => r.input.MaxResults === 1)).toBe(true);
    expect(beats.map((b) => b.nextPollInMs)).toEqual([5, 10, 20, 0]);
  });

  test('resumes from heartbeat details after a crash instead of starting over', async () => {
    const textract = fakeTextract(() => ({ JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 1 } }));
    const env = quietActivityEnvironment({
      heartbeatDetails: {
        jobId: 'job-1',
        polls: 7,
        lastStatus: 'IN_PROGRESS',
        nextPollInMs: 40,
      } satisfies PollProgress,
    });
    const result = await env.run(activities(textract).waitForTextractJob, job);
    expect((result as { polls: number }).polls).toBe(8);
  });

  test('slows down when throttled instead of failing', async () => {
    let calls = 0;
    const textract = fakeTextract(() => {
      calls++;
      if (calls <= 2) throw throttled();
      return { JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 1 } };
    });
    const env = quietActivityEnvironment();
    const beats = heartbeats<PollProgress>(env);
    await expect(env.run(activities(textract).waitForTextractJob, job)).resolves.toMatchObject({
      status: 'SUCCEEDED',
    });
    expect(beats.slice(0, 2).map((b) => [b.lastStatus, b.nextPollInMs])).toEqual([
      ['THROTTLED', 20],
      ['THROTTLED', 40],
    ]);
  });

  test('stops promptly when cancelled', async () => {
    const textract = fakeTextract(() => ({ JobStatus: 'IN_PROGRESS' }));
    const env = quietActivityEnvironment();
    env.on('heartbeat', (d: PollProgress) => {
      if (d.polls === 2) env.cancel();
    });
    await expect(env.run(activities(textract).waitForTextractJob, job)).rejects.toBeInstanceOf(
      CancelledFailure,
    );
    expect(textract.requests.length).toBe(2);
  });

  test('a FAILED job fails without retry, with Textract’s message', async () => {
    const textract = fakeTextract(() => ({
      JobStatus: 'FAILED',
      StatusMessage: 'Unsupported document format',
    }));
    const err = await quietActivityEnvironment()
      .run(activities(textract).waitForTextractJob, job)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'TextractJobFailed', nonRetryable: true });
    expect((err as Error).message).toContain('Unsupported document format');
  });
});

describe('collecting results', () => {
  // Three Get* pages; the second document page spans two responses.
  const responses: Record<string, { Blocks: unknown[]; NextToken?: string }> = {
    start: {
      Blocks: [
        ...pageBlocks(1, ['Invoice', 'ACME'], { alias: 'invoice_number', answer: 'INV-7', confidence: 62 }),
      ],
      NextToken: 't2',
    },
    t2: { Blocks: pageBlocks(2, ['Total', 'Due']).slice(0, 3), NextToken: 't3' },
    t3: { Blocks: pageBlocks(2, ['Total', 'Due']).slice(3) },
  };
  const input = { ...job, documentId: 'doc-1', namedFields: ['invoice_number'], kmsKeyId: 'alias/docket' };

  test('a retry resumes at the next page: no page lost, none fetched or written twice', async () => {
    const s3 = fakeS3();
    let failOnce = true;
    const textract = fakeTextract(({ NextToken }) => {
      if (NextToken === 't3' && failOnce) {
        failOnce = false;
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }); // worker dies here
      }
      return { JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 2 }, ...responses[NextToken ?? 'start'] };
    });
    const first = quietActivityEnvironment();
    const beats = heartbeats<CollectProgress>(first);
    await expect(first.run(activities(textract, s3).collectTextractResults, input)).rejects.toThrow(
      'socket hang up',
    );
    expect(beats.at(-1)).toEqual({ jobId: 'job-1', nextToken: 't3', partsWritten: 2 });

    const retry = quietActivityEnvironment({ heartbeatDetails: beats.at(-1), attempt: 2 });
    const summary: ExtractionSummary = await retry.run(
      activities(textract, s3).collectTextractResults,
      input,
    );

    const tokens = textract.requests.map((r) => r.input.NextToken ?? 'start');
    expect(tokens).toEqual(['start', 't2', 't3', 't3']); // t3 only again because the first try failed
    expect(textract.requests.every((r) => r.input.MaxResults === 1000)).toBe(true);
    const prefix = resultsPrefix('doc-1', 'job-1');
    for (const part of [1, 2, 3]) expect(s3.writes.get(`results/${partKey(prefix, 'raw', part)}`)).toBe(1);
    expect(summary).toMatchObject({ pages: 2, partsWritten: 3, lineCount: 4, minConfidence: 62 });
    expect(summary.fields).toEqual([
      expect.objectContaining({ name: 'invoice_number', value: 'INV-7', page: 1 }),
    ]);
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(16 * 1024);
    const normalized = [1, 2, 3].map(
      (part) =>
        JSON.parse(s3.objects.get(`results/${partKey(prefix, 'normalized', part)}`)!) as NormalizedPart,
    );
    // A page is complete once the next one starts: page 1 with the second response, page 2 at the end.
    expect(normalized.map((part) => part.pages.map((p) => p.page))).toEqual([[], [1], [2]]);
    expect(normalized[1]!.pages[0]!.queries).toEqual([
      expect.objectContaining({ id: 'p1-q1', alias: 'invoice_number', text: 'INV-7', confidence: 62 }),
    ]);
  });

  test('a real multi-page result, interrupted and resumed, gives the same parts and tables as in one go', async () => {
    // The GIB statement: four tables on three pages, three of them one table continued over the pages.
    const responses = getResponses(corpusBlocks('gib_multi_page_table_merge.json'), 300);
    const respond = (failAt?: number) => {
      let failed = false;
      return ({ NextToken }: { NextToken?: string }) => {
        const i = NextToken ? Number(NextToken) : 0;
        if (i === failAt && !failed) {
          failed = true;
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        }
        const next = i + 1 < responses.length ? { NextToken: String(i + 1) } : {};
        return { JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 3 }, Blocks: responses[i], ...next };
      };
    };
    const partsOf = (s3: ReturnType<typeof fakeS3>) =>
      responses.map((_, i) =>
        s3.objects.get(`results/${partKey(resultsPrefix('doc-1', 'job-1'), 'normalized', i + 1)}`),
      );

    const once = fakeS3();
    const whole = await quietActivityEnvironment().run(
      activities(fakeTextract(respond()), once).collectTextractResults,
      input,
    );

    const resumed = fakeS3();
    const textract = fakeTextract(respond(3));
    const first = quietActivityEnvironment();
    const beats = heartbeats<CollectProgress>(first);
    await expect(first.run(activities(textract, resumed).collectTextractResults, input)).rejects.toThrow();
    expect(beats.at(-1)).toMatchObject({ partsWritten: 3 });
    const retry = quietActivityEnvironment({ heartbeatDetails: beats.at(-1), attempt: 2 });
    const summary = await retry.run(activities(textract, resumed).collectTextractResults, input);

    expect(summary).toEqual(whole);
    expect(summary).toMatchObject({ pages: 3, tableCount: 2, lineCount: 211 });
    expect(partsOf(resumed)).toEqual(partsOf(once));
    const tables = partsOf(once).flatMap((part) => (JSON.parse(part!) as NormalizedPart).tables);
    expect(tables.map((t) => [t.id, t.parts.map((p) => p.page), t.rowCount])).toEqual([
      ['t1', [1], 10],
      ['t2', [1, 2, 3], 59],
    ]);
  });
});

describe('starting the Textract job', () => {
  test('a start waiting its turn behind the client-side rate heartbeats, so a crashed worker is noticed', async () => {
    const rate = new AdaptiveRate({ maxPerSecond: 4 });
    await rate.take(); // another start just took the turn: this one waits ~250 ms
    const textract = fakeTextract(() => ({ JobId: 'job-9' }));
    const start = createTextractActivities({
      s3: fakeS3().client,
      textract: textract.client,
      resultsBucket: 'results',
      rates: { start: rate },
      startHeartbeatMs: 20,
    }).startTextractJob;
    const env = quietActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const result = await env.run(start, {
      documentId: 'doc-1',
      checksum: 'a'.repeat(64),
      source: { bucket: 'in', key: 'doc.pdf' },
      profile: {
        textract: { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS] },
        output: { bucket: 'out', kmsKeyId: 'alias/docket' },
      },
    });
    expect(result).toMatchObject({ jobId: 'job-9' });
    expect(beats).toBeGreaterThanOrEqual(5);
    // Nothing beats once the start has returned.
    const after = beats;
    await new Promise((r) => setTimeout(r, 100));
    expect(beats).toBe(after);
  });
});
