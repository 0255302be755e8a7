import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { RecognisedWord } from '../../local/textract/blocks';
import { toGrey, type GreyImage } from '../../local/textract/grey-image';
import { figureStyle, restorePoints, withPoints, type FigureStyle } from '../../local/textract/number-points';

/**
 * `text` printed small (`px` font) and enlarged twice over with smoothing, as a scan's small print
 * reaches OCR, with the box around its ink as OCR's word box.
 */
function printed(
  text: string,
  {
    px = 10,
    spacing = 0,
    at = px * 0.5,
    mark,
    speck,
    font = 'sans-serif',
  }: {
    font?: string;
    px?: number;
    spacing?: number;
    at?: number;
    mark?: (s: SKRSContext2D) => void;
    /** Drawn on the enlarged copy. */
    speck?: (s: SKRSContext2D) => void;
  } = {},
): { image: GreyImage; box: RecognisedWord['box'] } {
  const small = createCanvas(px * text.length, px * 2);
  const s = small.getContext('2d');
  s.fillStyle = '#ffffff';
  s.fillRect(0, 0, small.width, small.height);
  s.fillStyle = '#000000';
  s.font = `${px}px ${font}`;
  s.letterSpacing = `${spacing}px`;
  s.fillText(text, at, px * 1.4);
  mark?.(s);
  const canvas = createCanvas(small.width * 2, small.height * 2);
  const context = canvas.getContext('2d');
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
  speck?.(context);
  const image = toGrey(
    context.getImageData(0, 0, canvas.width, canvas.height).data,
    canvas.width,
    canvas.height,
  );
  let [x0, y0, x1, y1] = [image.width, image.height, 0, 0];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if ((image.pixels[y * image.width + x] ?? 255) > 160) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
    }
  }
  const box = {
    left: x0 / image.width,
    top: y0 / image.height,
    width: (x1 - x0) / image.width,
    height: (y1 - y0) / image.height,
  };
  return { image, box };
}

/** Debian's fonts-dejavu-core, which the canvas draws its default faces with. */
const serifBold = '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf';
const sansBold = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const serif = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';

/** What the figure reads as after the point check, OCR having read it as `read`. */
function restored(
  printedText: string,
  read: string,
  options?: Parameters<typeof printed>[1],
  style?: FigureStyle,
): string {
  const { image, box } = printed(printedText, options);
  return withPoints(image, { text: read, confidence: 90, box }, style).text;
}

/** A line of words read whole, as figureStyle() sees them. */
const line = (...texts: string[]) => ({
  words: texts.map((text) => ({ text, confidence: 95, box: { left: 0, top: 0, width: 0, height: 0 } })),
});

describe('points OCR dropped from figures in small print', () => {
  it('puts back a decimal point the pixels show', () => {
    expect(restored('16.00', '1600')).toBe('16.00');
    expect(restored('8.43', '843')).toBe('8.43');
    expect(restored('-8.43', '-843')).toBe('-8.43');
    // A sign OCR joined on from before a gap takes no digit's advance.
    expect(restored('-  8.43', '-843')).toBe('-8.43');
    expect(restored('$291.90', '$29190')).toBe('$291.90');
    // A "1" inks a third of its advance; alone before the point it is still one digit.
    expect(restored('1.50', '150')).toBe('1.50');
    expect(restored('11.05', '1105')).toBe('11.05');
  });

  it('puts back a point between digits set so close that their pale edges touch', () => {
    expect(restored('16.00', '1600', { spacing: -0.7 })).toBe('16.00');
    expect(restored('2,468.09', '246809', { px: 9, spacing: -0.5 })).toBe('2,468.09');
  });

  it('puts back a thousands comma before the decimal point', () => {
    expect(restored('2,111.20', '2111.20')).toBe('2,111.20');
    expect(restored('23,526.80', '2352680')).toBe('23,526.80');
    // A lone mark is a comma when it reaches below the baseline...
    expect(restored('1,600', '1600', { px: 14 })).toBe('1,600');
    expect(restored('16,00', '1600', { px: 18 })).toBe('16,00');
    // ...and a mark that does not, before three digits, may be a comma too small to reach down:
    // "1.600" or "1,600" is a thousandfold either way, so the reading stays.
    expect(restored('1.600', '1600')).toBe('1600');
  });

  it('leaves a figure the pixels show no point in as it was read', () => {
    expect(restored('1600', '1600')).toBe('1600');
    expect(restored('08812345', '08812345')).toBe('08812345');
  });

  it('takes no full stop after a figure for its decimal point', () => {
    expect(restored('1600.', '1600')).toBe('1600');
  });

  it('takes no low mark beside a digit OCR saw whole but the pixels show in part for a point', () => {
    // "1235" whose last digit's upper strokes printed too pale to show: a dot-sized blob at the
    // baseline, then the lower half of a glyph.
    const brokenFive = (s: SKRSContext2D) => {
      s.fillStyle = '#444444';
      s.fillRect(25, 12, 1, 2);
      s.fillRect(27, 9, 2, 5);
    };
    expect(restored('123', '1235', { mark: brokenFive })).toBe('1235');
    // ...and the same before a figure: the foot of a pale "2", then the blob.
    const brokenTwo = (s: SKRSContext2D) => {
      s.fillStyle = '#444444';
      s.fillRect(5, 10, 3, 4);
      s.fillRect(10, 12, 1, 2);
    };
    expect(restored('345', '2345', { at: 13, mark: brokenTwo })).toBe('2345');
  });

  it('takes no ball of a bold serif digit for a point', () => {
    // The ball of a "3" stands apart from its stroke, low and point-sized; with the rest of the
    // digit it takes one advance, as no point and digit do.
    expect(GlobalFonts.registerFromPath(serifBold, 'Docket Serif Bold')).toBeTruthy();
    const bold = { px: 8, font: 'Docket Serif Bold' };
    for (const figure of ['1238', '2036', '3030', '923']) expect(restored(figure, figure, bold)).toBe(figure);
    for (const figure of ['12.38', '20.36', '30.30', '9.23']) {
      expect(restored(figure, figure.replace('.', ''), bold)).toBe(figure);
    }
  });

  it('puts back a point that pale ink joins to the digits beside it', () => {
    // A resampled copy's blur: a band of grey along the baseline from the "6" through the point to the
    // "0", dark enough to join them at the usual ink levels and paler than the print.
    expect(GlobalFonts.registerFromPath(sansBold, 'Docket Sans Bold')).toBeTruthy();
    const smear =
      (level: string, [x, y, w]: number[]) =>
      (s: SKRSContext2D) => {
        s.fillStyle = level;
        s.fillRect(x!, y!, w!, 1);
      };
    const bold = { px: 14, font: 'Docket Sans Bold' };
    expect(restored('16.00', '1600', { ...bold, speck: smear('#808080', [48, 37, 20]) })).toBe('16.00');
    // Joined by ink as dark as the print, the point is part of the digits' glyph: the reading stays.
    expect(restored('16.00', '1600', { ...bold, speck: smear('#202020', [48, 37, 20]) })).toBe('1600');
    // A serif "3"'s ball stands apart at the darker level too, in a glyph one digit wide: no point.
    expect(GlobalFonts.registerFromPath(serif, 'Docket Serif')).toBeTruthy();
    expect(restored('4943', '4943', { px: 7, font: 'Docket Serif' })).toBe('4943');
    for (const figure of ['13', '133', '1313', '3030']) {
      expect(restored(figure, figure, { px: 8, font: 'Docket Serif' })).toBe(figure);
    }
  });

  it('takes no speck a pixel wide for a point', () => {
    // Between "6" and "9" at the baseline: what is left of a serif 9's ball, or dust.
    const dust = (s: SKRSContext2D) => {
      s.fillStyle = '#333333';
      s.fillRect(24, 25, 1, 2);
    };
    expect(restored('6 92', '692', { speck: dust })).toBe('692');
    // Two pixels wide, it is a point.
    const dot = (s: SKRSContext2D) => {
      s.fillStyle = '#333333';
      s.fillRect(24, 25, 2, 2);
    };
    expect(restored('6 92', '692', { speck: dot })).toBe('6.92');
  });

  it('keeps a reading whose points would make no figure', () => {
    // A date printed with points: two groups of two digits are no thousands.
    expect(restored('12.34.56', '123456')).toBe('123456');
  });

  it('groups thousands with the kind of mark OCR read, and gives up when it cannot tell', () => {
    // A mark of unknown kind before three digits groups them ("2,112,741") or is a decimal point
    // ("2,112.741"): a thousandfold apart, so the reading stays.
    expect(restored('2,112,741', '2,112741', { px: 8 })).toBe('2,112741');
    expect(restored('12.345.678', '12345.678')).toBe('12.345.678');
    // ...where the page's style tells the grouping mark, a point of the other kind has three decimals.
    expect(restored('12,345.678', '12345.678', {}, { decimal: '.' })).toBe('12,345.678');
    expect(restored('12.345.678', '12345.678', {}, { decimal: ',' })).toBe('12.345.678');
    // Grouped in threes with a decimal comma: the other way round from "2,111.20".
    expect(restored('1.234,56', '1234,56')).toBe('1.234,56');
    expect(restored('1.234,56', '123456', { px: 16 })).toBe('1.234,56');
    // A comma too small to reach down is the decimal mark when OCR read points grouping thousands.
    expect(restored('1.234,56', '1.23456', { px: 8 })).toBe('1.234,56');
    // Points that group thousands and a decimal point: no figure.
    expect(restored('1.234.567.89', '1.234567.89')).toBe('1.234567.89');
    // A point before three digits could be either mark: the reading stays.
    expect(restored('2.112.741', '2112741')).toBe('2112741');
  });

  it('puts no points into what is no amount', () => {
    // An address, a date and numbers that start with a zero.
    expect(restored('192.168.1.1', '1921681.1')).toBe('1921681.1');
    expect(restored('03.02.2024', '03022024')).toBe('03022024');
    expect(restored('0812.34', '081234')).toBe('081234');
    expect(restored('00.45', '0045')).toBe('0045');
    // An ID of many digits with a dot between them.
    expect(restored('12345678.90', '1234567890')).toBe('1234567890');
    expect(restored('1234567.90', '123456790')).toBe('1234567.90');
  });

  it('leaves words that are not figures, and figures read whole, as they are', () => {
    expect(restored('ab.cd', 'abcd')).toBe('abcd');
    expect(restored('16.00', '16.00')).toBe('16.00');
  });

  it('changes nothing when the glyphs are not as many as the characters read', () => {
    // OCR lost a digit as well as the point: where the point goes cannot be told.
    expect(restored('16.00', '160')).toBe('160');
    // ...or read a digit too many.
    expect(restored('16.00', '16000')).toBe('16000');
    expect(restored('2,111.20', '21120')).toBe('21120');
  });

  it('gives a mark too small to tell the decimal mark of the figures the page has read whole', () => {
    const european = figureStyle([line('Summe', '1.234,56', '12,50'), line('3,10', '2.500,00')]);
    expect(european).toEqual({ decimal: ',', grouped: true });
    expect(restored('218,71', '21871', { px: 8 }, european)).toBe('218,71');
    expect(restored('218,71', '21871', { px: 8 })).toBe('218.71');
    const american = figureStyle([line('Total', '$1,234.56', '12.50'), line('3.10')]);
    expect(american).toEqual({ decimal: '.', grouped: true });
    expect(restored('6.27', '627', { px: 8 }, american)).toBe('6.27');
    // A statement's days and months are no decimals; one figure alone does not say.
    const statement = [line('03.02', '03.02', 'Miete', '1.234,56'), line('05.02', '05.02', '45,90')];
    expect(figureStyle(statement)).toEqual({ decimal: ',', grouped: true });
    expect(figureStyle([line('Total', '16', '$4', 'EUR', '1.234,56')])).toEqual({ grouped: true });
    expect(figureStyle([line('1.234,56', '1,234.56', '12.50', '45,90')])).toEqual({ grouped: true });
    // Dates, times and IDs tell nothing.
    expect(figureStyle([line('03.02.2024', '12:30', '08812345', '2,500', '1.234.56')])).toEqual({});
  });

  it('puts no decimal point into a long figure without thousands marks where the page groups them', () => {
    // Its thousands marks were lost with the point, or it is a date or an address missing points.
    const grouped: FigureStyle = { decimal: '.', grouped: true };
    expect(restored('53864.65', '5386465', {}, grouped)).toBe('5386465');
    expect(restored('53,864.65', '53,86465', {}, grouped)).toBe('53,864.65');
    expect(restored('53864.65', '5386465', {}, { decimal: '.', grouped: false })).toBe('53864.65');
    expect(restored('564.65', '56465', {}, grouped)).toBe('564.65');
    // A page whose long figures mostly print ungrouped is not grouped.
    expect(figureStyle([line('1600.00', '2500.00', '1,234.56')])).toEqual({ decimal: '.', grouped: false });
  });

  it('gives a reading whose points and commas make no figure the marks of the style of the page', () => {
    const american: FigureStyle = { decimal: '.', grouped: true };
    expect(restored('$7,778,788.24', '$7.778,788.24', {}, american)).toBe('$7,778,788.24');
    // Marks that make a figure in the other style stay, so do marks before three digits whose kind
    // the page cannot tell: groups, or three decimals.
    expect(restored('77,989,082', '77.989,082', {}, american)).toBe('77.989,082');
    expect(restored('6.463.901,42', '6,463.901,42', {}, { decimal: ',', grouped: true })).toBe(
      '6.463.901,42',
    );
    // A figure in the other style, marks of one kind (an address), and a page that does not say.
    expect(restored('1.234,56', '1.234,56', {}, american)).toBe('1.234,56');
    expect(restored('10.177.172.48', '10.177.172.48', {}, american)).toBe('10.177.172.48');
    expect(restored('$7,778,788.24', '$7.778,788.24')).toBe('$7.778,788.24');
    // A lone comma before two digits is a misread point where the page's are points; a lone point
    // where the page's decimal mark is a comma may be a time.
    expect(restored('-30.00', '-30,00', {}, american)).toBe('-30.00');
    expect(restored('12.30', '12.30', {}, { decimal: ',' })).toBe('12.30');
    expect(restored('1,600', '1,600', {}, american)).toBe('1,600');
    // The marks are the reading's, whatever its pixels show (here a page too pale to tell).
    const pale = { pixels: new Uint8Array(400).fill(250), width: 20, height: 20 };
    const box = { left: 0, top: 0, width: 1, height: 1 };
    expect(withPoints(pale, { text: '$7.778,788.24', confidence: 90, box }, american).text).toBe(
      '$7,778,788.24',
    );
    // Three decimals: a figure as it stands.
    expect(restored('1,234.567', '1,234.567', {}, american)).toBe('1,234.567');
    expect(restored('1.250,500', '1.250,500', {}, american)).toBe('1.250,500');
  });

  it('restores the figures of every line and keeps their boxes', () => {
    const { image, box } = printed('16.00');
    const [line] = restorePoints(image, [{ words: [{ text: '1600', confidence: 88, box }] }]);
    expect(line?.words).toEqual([{ text: '16.00', confidence: 88, box }]);
  });
});
