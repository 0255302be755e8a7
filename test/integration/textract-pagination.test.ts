/**
 * Contract: Get* pages a large result by MaxResults with an opaque NextToken, never losing or
 * repeating a block, with relationships that resolve within the result.
 */
import {
  GetDocumentTextDetectionCommand,
  InvalidParameterException,
  StartDocumentTextDetectionCommand,
  type Block,
} from '@aws-sdk/client-textract';
import { contractBucket, harness, waitForJob, type Harness } from '../fixtures/textract/harness';

let h: Harness;
let jobId: string;
const pages = 21;
const blocksPerPage = 1 + 99 * 5; // PAGE + 99 LINEs × (LINE + 4 WORDs)

beforeAll(async () => {
  h = await harness('pagination');
  const key = await h.put('big/scan.pdf', '%PDF-1.7\n% placeholder: the synthetic rule answers for it\n');
  await h.setFaults({ documents: [{ match: '*/big/*', synthetic: { pages }, jobMs: 0 }] });
  const res = await h.textract.send(
    new StartDocumentTextDetectionCommand({
      DocumentLocation: { S3Object: { Bucket: contractBucket, Name: key } },
    }),
  );
  jobId = res.JobId ?? '';
  await waitForJob(h.textract, jobId, false);
});
afterAll(async () => {
  await h.clearFaults();
  h.destroy();
});

async function readAll(
  maxResults: number | undefined,
): Promise<{ blocks: Block[]; calls: number; tokens: string[] }> {
  const blocks: Block[] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  let calls = 0;
  do {
    const res = await h.textract.send(
      new GetDocumentTextDetectionCommand({ JobId: jobId, MaxResults: maxResults, NextToken: token }),
    );
    calls++;
    expect(res.JobStatus).toBe('SUCCEEDED');
    expect(res.DocumentMetadata?.Pages).toBe(pages);
    expect((res.Blocks ?? []).length).toBeLessThanOrEqual(maxResults ?? 1000);
    blocks.push(...(res.Blocks ?? []));
    token = res.NextToken;
    if (token) tokens.push(token);
  } while (token);
  return { blocks, calls, tokens };
}

test(`${pages * blocksPerPage} blocks arrive exactly once each, in page order, 1000 per call by default`, async () => {
  const { blocks, calls, tokens } = await readAll(undefined);
  const total = pages * blocksPerPage;
  expect(total).toBeGreaterThan(10_000);
  expect(calls).toBe(Math.ceil(total / 1000));
  const ids = blocks.map((b) => b.Id);
  expect(ids).toHaveLength(total);
  expect(new Set(ids).size).toBe(total);
  const pageNumbers = blocks.map((b) => b.Page ?? 0);
  expect(pageNumbers.every((p, i) => i === 0 || p >= (pageNumbers[i - 1] ?? 0))).toBe(true);
  expect(blocks.filter((b) => b.BlockType === 'PAGE')).toHaveLength(pages);
  // Every CHILD points at a block of the result: nothing dangling across page boundaries.
  const known = new Set(ids);
  const children = blocks.flatMap((b) => b.Relationships?.flatMap((r) => r.Ids ?? []) ?? []);
  expect(children.filter((id) => !known.has(id))).toEqual([]);
  // Tokens are opaque and within the model's 255 characters.
  expect(tokens.every((t) => t.length <= 255 && !t.includes(jobId))).toBe(true);
});

test('a smaller MaxResults gives the same blocks in the same order', async () => {
  const byDefault = await readAll(undefined);
  const small = await readAll(777);
  expect(small.calls).toBe(Math.ceil((pages * blocksPerPage) / 777));
  expect(small.blocks.map((b) => b.Id)).toEqual(byDefault.blocks.map((b) => b.Id));
});

test('a token read twice returns the same page (retries are safe)', async () => {
  const first = await h.textract.send(new GetDocumentTextDetectionCommand({ JobId: jobId, MaxResults: 50 }));
  const token = first.NextToken;
  const a = await h.textract.send(
    new GetDocumentTextDetectionCommand({ JobId: jobId, MaxResults: 50, NextToken: token }),
  );
  const b = await h.textract.send(
    new GetDocumentTextDetectionCommand({ JobId: jobId, MaxResults: 50, NextToken: token }),
  );
  expect(a.Blocks?.map((x) => x.Id)).toEqual(b.Blocks?.map((x) => x.Id));
  expect(a.Blocks?.[0]?.Id).not.toBe(first.Blocks?.[0]?.Id);
});

test('a forged or foreign NextToken is InvalidParameterException', async () => {
  const first = await h.textract.send(new GetDocumentTextDetectionCommand({ JobId: jobId, MaxResults: 10 }));
  const forged = Buffer.from(`${jobId}:20:AAAAAAAAAAAAAAAAAAAAAA`).toString('base64url');
  await expect(
    h.textract.send(new GetDocumentTextDetectionCommand({ JobId: jobId, NextToken: forged })),
  ).rejects.toBeInstanceOf(InvalidParameterException);
  await expect(
    h.textract.send(
      new GetDocumentTextDetectionCommand({ JobId: 'b'.repeat(64), NextToken: first.NextToken }),
    ),
  ).rejects.toThrow(/does not exist|NextToken/);
});
