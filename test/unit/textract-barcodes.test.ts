/**
 * Barcodes as LAYOUT_FIGURE: bars the ruling pass took for vertical rules, told from a table's and a
 * form's rules by their number, spacing and the lack of a rule along them.
 */
import { barcodes } from '@docket/local/textract/layout/barcodes';
import { toGrey } from '@docket/local/textract/selection';
import { pageInk, type Ruling } from '@docket/local/textract/tables/page-ink';
import { blankPage } from '../support/generated-pages';

// A page 1000 px wide and 1300 tall whose lines are 26 px tall.
const aspect = 1.3;
const lineHeight = 26 / 1300;
const W = 1000;

/** `n` bars `gap` px apart from x = 100, `top`..`bottom` px down the page. */
function bars(n: number, gap: number, top = 600, bottom = 660): Ruling[] {
  return Array.from({ length: n }, (_, i) => ({
    at: (100 + i * gap) / W,
    from: top / 1300,
    to: bottom / 1300,
  }));
}

describe('barcodes among the vertical rules', () => {
  it('finds a run of many close bars of one height as one barcode', () => {
    const found = barcodes({ vertical: bars(40, 6), horizontal: [] }, lineHeight, aspect);
    expect(found).toHaveLength(1);
    expect(found[0]?.left).toBeCloseTo(0.1, 2);
    expect((found[0]?.left ?? 0) + (found[0]?.width ?? 0)).toBeCloseTo(0.334, 2);
    expect(found[0]?.top).toBeCloseTo(600 / 1300, 3);
    expect(found[0]?.height).toBeCloseTo(60 / 1300, 3);
  });

  it('keeps a barcode whole when rules elsewhere on the page stand at the x of its bars', () => {
    const rules: Ruling[] = [
      { at: 0.15, from: 0.1, to: 0.4 },
      { at: 0.2, from: 0.7, to: 0.9 },
    ];
    const found = barcodes({ vertical: [...bars(40, 6), ...rules], horizontal: [] }, lineHeight, aspect);
    expect(found).toHaveLength(1);
    expect(found[0]?.width).toBeGreaterThan(0.23);
  });

  it('finds two barcodes one above the other as two', () => {
    const vertical = [...bars(30, 6, 300, 360), ...bars(30, 6, 600, 660)];
    const found = barcodes({ vertical, horizontal: [] }, lineHeight, aspect);
    expect(found.map((b) => Math.round(b.top * 1300))).toEqual([300, 600]);
  });

  it('takes no table rules for a barcode: too few, or too far apart', () => {
    expect(barcodes({ vertical: bars(8, 6), horizontal: [] }, lineHeight, aspect)).toEqual([]);
    expect(barcodes({ vertical: bars(40, 150), horizontal: [] }, lineHeight, aspect)).toEqual([]);
    // Bars a character's width apart on the whole: a comb of boxes' sides, not a barcode.
    expect(barcodes({ vertical: bars(20, 20), horizontal: [] }, lineHeight, aspect)).toEqual([]);
  });

  it('takes no row of character boxes, ruled along its top and bottom, for a barcode', () => {
    const vertical = bars(20, 10);
    const horizontal: Ruling[] = [
      { at: 600 / 1300, from: 0.1, to: 0.3 },
      { at: 660 / 1300, from: 0.1, to: 0.3 },
    ];
    expect(barcodes({ vertical, horizontal }, lineHeight, aspect)).toEqual([]);
    // Ruled along one edge only is still a comb.
    expect(barcodes({ vertical, horizontal: horizontal.slice(1) }, lineHeight, aspect)).toHaveLength(0);
  });

  it('takes no short marks for bars', () => {
    expect(barcodes({ vertical: bars(40, 6, 600, 620), horizontal: [] }, lineHeight, aspect)).toEqual([]);
  });

  it('finds the bars of a drawn barcode among the page ink', () => {
    const { context } = blankPage(W, 1300);
    // Bars one to four pixels wide with gaps of one to three, the widths cycling as a code's do.
    let x = 200;
    for (let i = 0; i < 60; i++) {
      const bar = 1 + ((i * 7) % 4);
      context.fillRect(x, 800, bar, 70);
      x += bar + 1 + ((i * 5) % 3);
    }
    const ink = pageInk(toGrey(context.getImageData(0, 0, W, 1300).data, W, 1300));
    const [found] = barcodes(ink, lineHeight, aspect);
    expect(found?.left).toBeCloseTo(0.2, 2);
    expect((found?.left ?? 0) + (found?.width ?? 0)).toBeCloseTo(x / W, 2);
    expect(found?.top).toBeCloseTo(800 / 1300, 2);
  });
});
