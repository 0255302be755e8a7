/**
 * Native Tesseract kept running from page to page (native-process.ts): each page comes back with its
 * own words, in order, from one process; a page tesseract cannot read fails alone with tesseract's
 * reason, and the pool carries on with a new process.
 */
import path from 'node:path';
import { repoRoot } from '@docket/local/stack/tools';
import { findTesseract } from '@docket/local/textract/native-ocr';
import { TesseractProcess } from '@docket/local/textract/native-process';
import { OcrPool, type OcrImage } from '@docket/local/textract/ocr-pool';
import { toGrey } from '@docket/local/textract/selection';
import { blankPage } from '../support/generated-pages';

const bin = findTesseract(undefined, process.env.DOCKET_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
const withNative = bin ? test : test.skip;
const settings = { psm: '4', minConfidence: 20 };

/** A white page with one line of 24 px print, as the PGM the pool is given. */
function page(text: string): OcrImage {
  const [width, height] = [700, 120];
  const { context } = blankPage(width, height);
  context.font = '24px sans-serif';
  context.fillText(text, 30, 70);
  const grey = toGrey(context.getImageData(0, 0, width, height).data, width, height);
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  return { data: Buffer.concat([header, grey.pixels]), width, height };
}

const words = (lines: { words: { text: string }[] }[]) => lines.flatMap((l) => l.words.map((w) => w.text));

withNative('one process reads page after page, each page with its own words', async () => {
  const proc = new TesseractProcess(bin ?? '', settings);
  try {
    expect(words(await proc.recognise(page('Invoice total due within thirty days')))).toEqual([
      'Invoice',
      'total',
      'due',
      'within',
      'thirty',
      'days',
    ]);
    expect(words(await proc.recognise(page('Receipt number 4417 paid')))).toEqual([
      'Receipt',
      'number',
      '4417',
      'paid',
    ]);
    expect(proc.alive).toBe(true);
  } finally {
    await proc.close();
  }
  expect(proc.alive).toBe(false);
});

withNative('a page tesseract cannot read fails with its reason; the pool reads the next page', async () => {
  const pool = new OcrPool({ size: 1, tesseractBin: bin ?? '' });
  try {
    const broken = { data: Buffer.from('P5\n900 900\n255\nnot enough pixels'), width: 900, height: 900 };
    await expect(pool.recognise(broken)).rejects.toThrow(/tesseract exited with [1-9]/);
    const next = await pool.recognise(page('Payment received with thanks'));
    expect(words(next.lines)).toEqual(['Payment', 'received', 'with', 'thanks']);
  } finally {
    await pool.terminate();
  }
});

withNative('pages read at once on two processes keep their own words', async () => {
  const pool = new OcrPool({ size: 2, tesseractBin: bin ?? '' });
  const texts = ['Alpha account 1001', 'Bravo balance 2002', 'Charlie credit 3003', 'Delta debit 4004'];
  try {
    const read = await Promise.all(
      texts.map(async (text) => words((await pool.recognise(page(text))).lines)),
    );
    expect(read).toEqual(texts.map((t) => t.split(' ')));
  } finally {
    await pool.terminate();
  }
});

withNative(
  'pages read in another segmentation mode, between pages of the pool mode, keep their words',
  async () => {
    const pool = new OcrPool({ size: 1, tesseractBin: bin ?? '' });
    try {
      const first = await pool.recognise(page('Gross pay this period'));
      const block = await pool.recognise(page('Federal income tax 40.60'), { psm: '6' });
      const last = await pool.recognise(page('Net pay 291.90'));
      expect([words(first.lines), words(block.lines), words(last.lines)]).toEqual([
        ['Gross', 'pay', 'this', 'period'],
        ['Federal', 'income', 'tax', '40.60'],
        ['Net', 'pay', '291.90'],
      ]);
    } finally {
      await pool.terminate();
    }
  },
);
