/**
 * Contract: what the service reads out of real documents — OCR and PDF text layers through every
 * operation, FORMS and QUERIES answered from the content, recorded responses served as they are.
 */
import {
  AnalyzeDocumentCommand,
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentAnalysisCommand,
  StartDocumentTextDetectionCommand,
  type Block,
} from '@aws-sdk/client-textract';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import fs from 'node:fs';
import path from 'node:path';
import { wordF1 } from '@docket/local/textract/word-f1';
import {
  contractBucket,
  corpusDir,
  corpusDocument,
  harness,
  waitForJob,
  type Harness,
} from '../fixtures/textract/harness';
import { greyOf, halfRows, writeTiff } from '../fixtures/textract/tiff-writer';

let h: Harness;

beforeAll(async () => {
  h = await harness('documents');
  await h.setFaults({ documents: [{ match: '*', jobMs: 0 }] });
});
afterAll(async () => {
  await h.clearFaults();
  h.destroy();
});

const recorded = (file: string) =>
  (JSON.parse(fs.readFileSync(path.join(corpusDir, 'textract', file), 'utf8')) as { Blocks: Block[] }).Blocks;
const location = (name: string) => ({ S3Object: { Bucket: contractBucket, Name: name } });
const byId = (blocks: Block[]) => new Map(blocks.map((b) => [b.Id, b]));
const childText = (block: Block | undefined, index: Map<string | undefined, Block>) =>
  (block?.Relationships ?? [])
    .filter((r) => r.Type === 'CHILD')
    .flatMap((r) => r.Ids ?? [])
    .map((id) => index.get(id)?.Text)
    .join(' ');

test('DetectDocumentText reads a photographed receipt (JPEG bytes) close to what Textract reads', async () => {
  const res = await h.textract.send(
    new DetectDocumentTextCommand({ Document: { Bytes: corpusDocument('receipt.jpg') } }),
  );
  const blocks = res.Blocks ?? [];
  expect(res.DocumentMetadata?.Pages).toBe(1);
  expect(blocks[0]?.BlockType).toBe('PAGE');
  const words = blocks.filter((b) => b.BlockType === 'WORD');
  for (const w of words) {
    const box = w.Geometry?.BoundingBox;
    expect(box?.Left).toBeGreaterThanOrEqual(0);
    expect((box?.Left ?? 0) + (box?.Width ?? 0)).toBeLessThanOrEqual(1);
    expect(w.Geometry?.Polygon).toHaveLength(4);
  }
  // Every LINE's words are WORD blocks of the result, and its text is theirs.
  const index = byId(blocks);
  for (const line of blocks.filter((b) => b.BlockType === 'LINE'))
    expect(childText(line, index)).toBe(line.Text);
  expect(wordF1(blocks, recorded('receipt.jpg.analysis.json')).f1).toBeGreaterThan(0.8);
});

test('an async text detection of a two-page PDF returns both pages (text layer)', async () => {
  const key = await h.put('ocr/report.pdf', corpusDocument('textractor-multipage-doc.pdf'));
  const { JobId } = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(key) }),
  );
  const { first } = await waitForJob(h.textract, JobId ?? '', false);
  const blocks = first.Blocks ?? [];
  expect(first.DocumentMetadata?.Pages).toBe(2);
  expect(blocks.filter((b) => b.BlockType === 'PAGE').map((b) => b.Page)).toEqual([1, 2]);
  expect(wordF1(blocks, recorded('textractor-multipage-doc.pdf.text-detection.json')).f1).toBeGreaterThan(
    0.95,
  );
});

test('AnalyzeDocument FORMS and QUERIES find the fields of an invoice', async () => {
  const key = await h.put('ocr/bill.pdf', corpusDocument('sample-invoice.pdf'));
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: location(key),
      FeatureTypes: ['FORMS', 'QUERIES'],
      QueriesConfig: {
        Queries: [
          { Text: 'What is the invoice number?', Alias: 'INVOICE_NUMBER' },
          { Text: 'What is the due date?', Alias: 'DUE_DATE' },
          { Text: 'Who is the patient?', Alias: 'PATIENT' },
        ],
      },
    }),
  );
  const blocks = res.Blocks ?? [];
  const index = byId(blocks);
  const pairs = new Map(
    blocks
      .filter((b) => b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.includes('KEY'))
      .map((key) => {
        const valueId = key.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0];
        return [childText(key, index), childText(index.get(valueId), index)] as const;
      }),
  );
  expect(pairs.get('Invoice Number')).toBe('INV-3337');
  expect(pairs.get('Due Date')).toBe('January 31, 2016');
  const answers: Record<string, string | undefined> = Object.fromEntries(
    blocks
      .filter((b) => b.BlockType === 'QUERY')
      .map((q): [string, string | undefined] => [
        q.Query?.Alias ?? '',
        index.get(q.Relationships?.find((r) => r.Type === 'ANSWER')?.Ids?.[0])?.Text,
      ]),
  );
  expect(answers).toEqual({ INVOICE_NUMBER: 'INV-3337', DUE_DATE: 'January 31, 2016', PATIENT: undefined });
});

test("AnalyzeDocument FORMS reports a form's checkboxes as Textract does, and never as words", async () => {
  const key = await h.put('ocr/application.png', corpusDocument('form.png'));
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({ Document: location(key), FeatureTypes: ['FORMS'] }),
  );
  const blocks = res.Blocks ?? [];
  const index = byId(blocks);
  const labelled = blocks
    .filter((b) => b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.includes('KEY'))
    .map((k) => [childText(k, index), index.get(k.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0])])
    .map(([label, value]) => {
      const childId = (value as Block | undefined)?.Relationships?.[0]?.Ids?.[0];
      return [label as string, index.get(childId)?.SelectionStatus] as const;
    })
    .filter(([, status]) => status !== undefined);
  const checkboxes = new Map(labelled);
  expect(checkboxes.get('Condo/Townhome')).toBe('SELECTED');
  expect(checkboxes.get('Utility Company (flyer or employee)')).toBe('SELECTED');
  expect(checkboxes.get('House')).toBe('NOT_SELECTED');
  expect(checkboxes.get('Mobile Home')).toBe('NOT_SELECTED');
  // Against the real response: every box found is one Textract found, with the same status.
  const real = recorded('form.png.analysis.json');
  const realBoxes = real.filter((b) => b.BlockType === 'SELECTION_ELEMENT');
  const ours = blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT');
  const inside = (b: Block, r: Block) => {
    const p = b.Geometry?.BoundingBox;
    const q = r.Geometry?.BoundingBox;
    const x = (p?.Left ?? 0) + (p?.Width ?? 0) / 2;
    const y = (p?.Top ?? 0) + (p?.Height ?? 0) / 2;
    return (
      x > (q?.Left ?? 0) &&
      x < (q?.Left ?? 0) + (q?.Width ?? 0) &&
      y > (q?.Top ?? 0) &&
      y < (q?.Top ?? 0) + (q?.Height ?? 0)
    );
  };
  // Textract leaves out one box of the 4 x 5 grid of table-cell boxes (row 4, column 3): the only one
  // it may lack.
  const unmatched = ours.filter((box) => !realBoxes.some((r) => inside(box, r)));
  expect(unmatched.length).toBeLessThanOrEqual(1);
  for (const box of ours.filter((b) => !unmatched.includes(b)))
    expect(realBoxes.find((r) => inside(box, r))?.SelectionStatus).toBe(box.SelectionStatus);
  // And nearly every box Textract reports is found (two are plain empty cells it calls boxes).
  expect(realBoxes.filter((r) => ours.some((b) => inside(b, r))).length).toBeGreaterThanOrEqual(50);
  // Textract pairs 32 of its boxes with a label; a box read as a letter would cost a WORD too.
  expect(labelled.length).toBeGreaterThanOrEqual(30);
  expect(wordF1(blocks, real).f1).toBeGreaterThan(0.95);
});

test('a document with a recorded response gets it, tables and layout included, paginated', async () => {
  const key = await h.put('inbox/2024/form.png', corpusDocument('form.png'));
  const { JobId } = await h.textract.send(
    new StartDocumentAnalysisCommand({
      DocumentLocation: location(key),
      FeatureTypes: ['TABLES', 'FORMS', 'LAYOUT'],
    }),
  );
  const { first } = await waitForJob(h.textract, JobId ?? '', true);
  const real = recorded('form.png.analysis.json');
  expect(first.Blocks?.map((b) => b.Id)).toEqual(real.slice(0, 1000).map((b) => b.Id));
  expect(first.Blocks?.some((b) => b.BlockType === 'TABLE')).toBe(true);
  expect(first.Blocks?.every((b) => b.Page === 1)).toBe(true);
});

test('text detection of a recorded analysis keeps only PAGE, LINE and WORD blocks', async () => {
  const key = await h.put('inbox/receipt.jpg', corpusDocument('receipt.jpg'));
  const { JobId } = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(key) }),
  );
  const { first } = await waitForJob(h.textract, JobId ?? '', false);
  const types = new Set(first.Blocks?.map((b) => b.BlockType));
  expect(types).toEqual(new Set(['PAGE', 'LINE', 'WORD']));
  const ids = new Set(first.Blocks?.map((b) => b.Id));
  const dangling = (first.Blocks ?? []).flatMap((b) => b.Relationships?.flatMap((r) => r.Ids ?? []) ?? []);
  expect(dangling.filter((id) => !ids.has(id))).toEqual([]);
});

test('a sidecar <key>.textract.json is served as the recorded response of its document', async () => {
  const key = await h.put('sidecar/scan-0001.pdf', corpusDocument('sample-invoice.pdf'));
  await h.put(
    'sidecar/scan-0001.pdf.textract.json',
    fs.readFileSync(path.join(corpusDir, 'textract', 'queries_sample.json')),
  );
  const res = await h.textract.send(
    new StartDocumentAnalysisCommand({
      DocumentLocation: location(key),
      FeatureTypes: ['QUERIES'],
      QueriesConfig: { Queries: [{ Text: 'What is the pay period?' }] },
    }),
  );
  const { first } = await waitForJob(h.textract, res.JobId ?? '', true);
  expect(first.Blocks?.filter((b) => b.BlockType === 'QUERY')).toHaveLength(9);
});

/** Every block of a finished text detection job, following NextToken. */
async function allTextBlocks(jobId: string): Promise<Block[]> {
  const blocks: Block[] = [];
  let token: string | undefined;
  do {
    const res = await h.textract.send(
      new GetDocumentTextDetectionCommand({ JobId: jobId, NextToken: token }),
    );
    blocks.push(...(res.Blocks ?? []));
    token = res.NextToken;
  } while (token);
  return blocks;
}

test('every page of a multi-page TIFF is read: a PackBits scan and an uncompressed photo', async () => {
  const form = await greyOf(corpusDocument('form.png'));
  const receipt = await greyOf(corpusDocument('receipt.jpg'));
  const key = await h.put('scans/batch-7.tif', writeTiff([{ ...form, compression: 'packbits' }, receipt]));
  const { JobId } = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(key) }),
  );
  const { first } = await waitForJob(h.textract, JobId ?? '', false);
  expect(first.JobStatus).toBe('SUCCEEDED');
  expect(first.DocumentMetadata?.Pages).toBe(2);
  const blocks = await allTextBlocks(JobId ?? '');
  expect(blocks.filter((b) => b.BlockType === 'PAGE').map((b) => b.Page)).toEqual([1, 2]);
  const onPage = (page: number) => blocks.filter((b) => b.Page === page);
  expect(wordF1(onPage(1), recorded('form.png.analysis.json')).f1).toBeGreaterThan(0.9);
  expect(wordF1(onPage(2), recorded('receipt.jpg.analysis.json')).f1).toBeGreaterThan(0.9);
});

test('a fax-mode TIFF (half the rows, 200x100 dpi) is read with its pixels made square', async () => {
  const receipt = halfRows(await greyOf(corpusDocument('receipt.jpg')));
  const res = await h.textract.send(
    new DetectDocumentTextCommand({ Document: { Bytes: writeTiff([{ ...receipt, dpi: [200, 100] }]) } }),
  );
  expect(wordF1(res.Blocks ?? [], recorded('receipt.jpg.analysis.json')).f1).toBeGreaterThan(0.9);
});

test('a TIFF with a page in a compression the service cannot decode fails its job, naming it', async () => {
  const page = await greyOf(corpusDocument('receipt.jpg'));
  const key = await h.put('scans/jp2.tif', writeTiff([page, { ...page, compression: 'jpeg2000' }]));
  const { JobId } = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(key) }),
  );
  const { first } = await waitForJob(h.textract, JobId ?? '', false);
  expect(first.JobStatus).toBe('FAILED');
  expect(first.StatusMessage).toBe('Unable to process the document: TIFF page 2 uses TIFF compression 34712');
});

test('a receipt photographed at 25 megapixels reads as well as the original', async () => {
  // Four times the corpus photo across and down: characters about 90 px tall, as from a phone camera.
  const image = await loadImage(corpusDocument('receipt.jpg'));
  const canvas = createCanvas(image.width * 4, image.height * 4);
  canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
  const res = await h.textract.send(
    new DetectDocumentTextCommand({ Document: { Bytes: await canvas.encode('jpeg', 90) } }),
  );
  expect(wordF1(res.Blocks ?? [], recorded('receipt.jpg.analysis.json')).f1).toBeGreaterThan(0.93);
});
