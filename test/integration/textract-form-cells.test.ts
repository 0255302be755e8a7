/**
 * Through the real Textract client, on a generated page: tick boxes printed as double-ruled cells of
 * a table are SELECTION_ELEMENTs with their states (and no cell's words take them as values), an
 * office heading over an address is no key, and receipt fields marked with "#" are pairs.
 */
import { AnalyzeDocumentCommand, type Block } from '@aws-sdk/client-textract';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';
import { formPairs } from '../support/form-blocks';
import { blankPage } from '../support/generated-pages';

let h: Harness;

beforeAll(async () => {
  h = await harness('form-cells');
});
afterAll(() => h.destroy());

/** Ticked boxes by row, then column (Yes/No for two questions). */
const ticked = [
  [true, false, false, true],
  [false, true, false, true],
  [false, false, false, false],
];
const [cellW, cellH, tableX, tableY] = [48, 26, 560, 420];

function page(): Promise<Buffer> {
  const [w, hgt] = [1020, 1320];
  const { canvas, context: c } = blankPage(w, hgt);
  c.font = 'bold 20px serif';
  c.fillText('NORTH OFFICE', 90, 110);
  c.font = '20px serif';
  c.fillText('3330 Flamingo Road, Las Vegas', 90, 140);
  c.fillText('Telephone: (702) 486-1404', 90, 170);
  c.fillText('ST# 1477', 90, 250);
  c.fillText('APPROVAL # 114801', 90, 290);
  // A table: names and ages in plain cells, then four double-ruled tick boxes per row.
  c.strokeStyle = '#000';
  c.lineWidth = 1;
  const rows = ticked.length;
  const right = tableX + 4 * cellW;
  for (let r = 0; r <= rows; r++) {
    c.beginPath();
    c.moveTo(90, tableY + r * cellH + 0.5);
    c.lineTo(right + 80, tableY + r * cellH + 0.5);
    c.stroke();
  }
  for (const x of [90, 330, 450, ...[0, 1, 2, 3, 4].map((k) => tableX + k * cellW), right + 80]) {
    c.beginPath();
    c.moveTo(x + 0.5, tableY);
    c.lineTo(x + 0.5, tableY + rows * cellH);
    c.stroke();
  }
  const names = ['Self', 'Spouse', 'Child'];
  ticked.forEach((row, r) => {
    const y = tableY + r * cellH;
    c.fillStyle = '#000';
    c.fillText(names[r] ?? '', 100, y + 20);
    c.fillText(String(30 + r * 7), 370, y + 20);
    row.forEach((on, k) => {
      const x = tableX + k * cellW;
      // The bevel: the cell's own dark rule, then two lighter rules inside it.
      c.fillStyle = '#111';
      for (const [dx, dy, ww, hh] of [
        [0, 0, cellW + 1, 2],
        [0, cellH - 1, cellW + 1, 2],
        [0, 0, 2, cellH + 1],
        [cellW - 1, 0, 2, cellH + 1],
      ] as const)
        c.fillRect(x + dx, y + dy, ww, hh);
      c.strokeStyle = '#888';
      c.strokeRect(x + 2.5, y + 2.5, cellW - 4, cellH - 4);
      c.strokeStyle = '#ccc';
      c.strokeRect(x + 3.5, y + 3.5, cellW - 6, cellH - 6);
      c.fillStyle = '#000';
      if (on) c.fillRect(x + cellW / 2 - 5, y + cellH / 2 - 5, 10, 10);
    });
  });
  c.fillStyle = '#000';
  for (let line = 0; line < 6; line++)
    c.fillText('I declare that the information in this application is true.', 90, 700 + line * 34);
  return canvas.encode('png');
}

/** Form pairs by key, without a key's trailing colon. */
function pairs(blocks: Block[]): Map<string, string> {
  return new Map(formPairs(blocks).map(([key, value]) => [key.replace(/:$/, ''), value]));
}

test('tick boxes in table cells, a heading over an address, and "#" fields read as Textract reads them', async () => {
  const key = await h.put('cells/application.png', await page());
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { S3Object: { Bucket: contractBucket, Name: key } },
      FeatureTypes: ['FORMS'],
    }),
  );
  const blocks = res.Blocks ?? [];
  const boxes = blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT');
  const states = ticked.map((row, r) =>
    row.map((_, k) => {
      const [cx, cy] = [(tableX + (k + 0.5) * cellW) / 1020, (tableY + (r + 0.5) * cellH) / 1320];
      const box = boxes.find((b) => {
        const g = b.Geometry?.BoundingBox ?? {};
        const [l, t] = [g.Left ?? 0, g.Top ?? 0];
        return cx >= l && cx <= l + (g.Width ?? 0) && cy >= t && cy <= t + (g.Height ?? 0);
      });
      return box?.SelectionStatus === undefined ? 'missing' : box.SelectionStatus === 'SELECTED';
    }),
  );
  expect(states).toEqual(ticked);
  const found = pairs(blocks);
  // No cell's words take a tick box as their value.
  expect([...found.values()].filter((v) => v === 'SELECTED' || v === 'NOT_SELECTED')).toEqual([]);
  expect([...found.keys()].some((k) => /NORTH OFFICE/.test(k))).toBe(false);
  expect(found.get('Telephone')).toBe('(702) 486-1404');
  expect(found.get('ST#')).toBe('1477');
  expect(found.get('APPROVAL #')).toBe('114801');
});
