/**
 * The page's pixel loops take shortcuts (paper skipped four pixels at a time, columns walked a row at
 * a time, sums across made once per row, pixels read a word at a time): what they give must be what
 * the plain loop gives, pixel for pixel, on pages of any width, with ink against the edges.
 */
import {
  components,
  greyHistogram,
  histogramThreshold,
  toGrey,
  type GreyImage,
} from '@docket/local/textract/grey-image';
import { edgeWidth } from '@docket/local/textract/edge-width';
import { turnAndScale } from '@docket/local/textract/resample';
import { rulingLines } from '@docket/local/textract/tables/page-ink';

/** A repeatable pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Paper with short strokes, blobs and a few long lines, some touching the edges. */
function speckledPage(width: number, height: number, seed: number): GreyImage {
  const next = random(seed);
  const pixels = new Uint8Array(width * height).fill(235);
  const paint = (x0: number, y0: number, w: number, h: number, grey: number) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++)
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) pixels[y * width + x] = grey;
  };
  for (let i = 0; i < (width * height) / 60; i++) {
    paint(
      Math.floor(next() * width) - 1,
      Math.floor(next() * height) - 1,
      1 + Math.floor(next() * 4),
      1 + Math.floor(next() * 6),
      Math.floor(next() * 120),
    );
  }
  paint(0, Math.floor(height / 3), width, 2, 20);
  paint(Math.floor(width / 2) + 1, 0, 1, height, 30);
  paint(width - 1, 0, 1, height, 10);
  return { pixels, width, height };
}

const widths = [37, 40, 41, 42, 43, 101];

/** Catmull-Rom weights, as resample.ts defines them. */
function cubic(t: number): number[] {
  const [t2, t3] = [t * t, t * t * t];
  return [
    -0.5 * t3 + t2 - 0.5 * t,
    1.5 * t3 - 2.5 * t2 + 1,
    -1.5 * t3 + 2 * t2 + 0.5 * t,
    0.5 * t3 - 0.5 * t2,
  ];
}

/** Each output pixel sampled on its own from the four by four around it, white off the image. */
function scaledPixel({ pixels, width, height }: GreyImage, scale: number): Uint8Array {
  const [outWidth, outHeight] = [Math.round(width * scale), Math.round(height * scale)];
  const out = new Uint8Array(outWidth * outHeight);
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 255 : pixels[y * width + x]!;
  for (let v = 0; v < outHeight; v++) {
    for (let u = 0; u < outWidth; u++) {
      const x = width / 2 + (u + 0.5 - outWidth / 2) * (width / outWidth) - 0.5;
      const y = height / 2 + (v + 0.5 - outHeight / 2) * (height / outHeight) - 0.5;
      const [x0, y0] = [Math.floor(x), Math.floor(y)];
      const [wx, wy] = [cubic(x - x0), cubic(y - y0)];
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        let across = 0;
        for (let i = 0; i < 4; i++) across += at(x0 - 1 + i, y0 - 1 + j) * wx[i]!;
        sum += across * wy[j]!;
      }
      out[v * outWidth + u] = sum <= 0 ? 0 : sum >= 255 ? 255 : Math.round(sum);
    }
  }
  return out;
}

describe('pixel loops with shortcuts', () => {
  test('scaling without a turn gives the pixels sampling each one on its own gives', () => {
    for (const width of [37, 42]) {
      const page = speckledPage(width, 29, width);
      for (const scale of [2, 0.8, 1.37, 3]) {
        expect(
          Buffer.from(turnAndScale(page, 0, scale).pixels).equals(Buffer.from(scaledPixel(page, scale))),
        ).toBe(true);
      }
    }
  });

  test('ink components are the same when paper is skipped four pixels at a time', () => {
    for (const width of widths) {
      const page = speckledPage(width, 53, width * 7);
      const ink = Uint8Array.from(page.pixels, (p) => (p < 128 ? 1 : 0));
      const { labels, all } = components(ink, width, page.height);
      // The plain way: a flood fill over the eight neighbours, components in the order first met.
      const seen = new Int32Array(ink.length);
      const boxes: number[][] = [];
      for (let start = 0; start < ink.length; start++) {
        if (!ink[start] || seen[start]) continue;
        const box = [width, page.height, -1, -1, 0];
        const stack = [start];
        seen[start] = 1;
        while (stack.length > 0) {
          const i = stack.pop()!;
          const [x, y] = [i % width, Math.floor(i / width)];
          box[0] = Math.min(box[0]!, x);
          box[1] = Math.min(box[1]!, y);
          box[2] = Math.max(box[2]!, x);
          box[3] = Math.max(box[3]!, y);
          box[4]!++;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const [nx, ny] = [x + dx, y + dy];
              const j = ny * width + nx;
              if (nx >= 0 && ny >= 0 && nx < width && ny < page.height && ink[j] && !seen[j]) {
                seen[j] = 1;
                stack.push(j);
              }
            }
        }
        boxes.push(box);
      }
      const theirs = all.map((c) => [c.minX, c.minY, c.maxX, c.maxY, c.count]);
      expect(theirs.sort()).toEqual(boxes.sort());
      expect(ink.every((v, i) => (v ? labels[i]! > 0 : labels[i] === 0))).toBe(true);
    }
  });

  test('ruling lines against the page edges and at every alignment are found', () => {
    for (const width of widths.filter((w) => w > 40)) {
      const height = 80;
      const pixels = new Uint8Array(width * height).fill(255);
      // Lines across starting 1 to 8 pixels in, the last to the page's edge; below them one down the
      // last column to the page's foot, and one down an odd column.
      for (let k = 1; k <= 8; k++)
        for (let x = k; x < (k === 8 ? width : width - k); x++) pixels[(6 * k + 2) * width + x] = 0;
      for (let y = 56; y < 80; y++) pixels[y * width + width - 1] = 0;
      for (let y = 57; y < 79; y++) pixels[y * width + 13] = 0;
      const { horizontal, vertical } = rulingLines({ pixels, width, height }, 4);
      expect(horizontal.map((r) => [Math.round(r.from * width), Math.round(r.to * width)])).toEqual(
        [1, 2, 3, 4, 5, 6, 7, 8].map((k) => [k, k === 8 ? width : width - k]),
      );
      expect(vertical.map((v) => Math.round(v.at * width - 0.5))).toEqual([13, width - 1]);
      expect(vertical.map((v) => [Math.round(v.from * height), Math.round(v.to * height)])).toEqual([
        [57, 79],
        [56, 80],
      ]);
    }
  });

  test('edge width walks columns a row at a time and measures what walking each column measures', () => {
    // A soft-edged grid: the same edges across and down, so rows and columns each measure 3 px.
    const [width, height] = [203, 157];
    const pixels = new Uint8Array(width * height).fill(250);
    const ramp = [250, 180, 110, 40, 10];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const [dx, dy] = [x % 20, y % 20];
        const d = Math.min(dx < 10 ? dx : 19 - dx, dy < 10 ? dy : 19 - dy);
        pixels[y * width + x] = ramp[Math.min(4, d)]!;
      }
    expect(edgeWidth({ pixels, width, height })).toBeCloseTo(3, 5);
    // Columns alone: the page turned a quarter measures the same.
    const turned = new Uint8Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) turned[x * height + y] = pixels[y * width + x]!;
    expect(edgeWidth({ pixels: turned, width: height, height: width })).toBe(
      edgeWidth({ pixels, width, height }),
    );
  });

  test('edge width acting only where a scan line changes class measures what every pixel measures', () => {
    // The plain measure: every pixel of every row scanned and of every column scanned looked at.
    const plain = (
      { pixels, width, height }: GreyImage,
      inkLevel: number,
      paperLevel: number,
      every: number,
    ) => {
      let [total, edges] = [0, 0];
      const scan = (length: number, at: (i: number) => number) => {
        let [lastPaper, lastInk] = [-1, -1];
        for (let i = 0; i < length; i++) {
          const p = at(i);
          if (p >= paperLevel) {
            if (lastInk > lastPaper && i - lastInk <= 8) [total, edges] = [total + i - lastInk, edges + 1];
            lastPaper = i;
          } else if (p <= inkLevel) {
            if (lastPaper > lastInk && i - lastPaper <= 8)
              [total, edges] = [total + i - lastPaper, edges + 1];
            lastInk = i;
          }
        }
      };
      for (let y = 0; y < height; y += every) scan(width, (x) => pixels[y * width + x]!);
      for (let x = 0; x < width; x += every) scan(height, (y) => pixels[y * width + x]!);
      return edges >= 200 ? total / edges : undefined;
    };
    // Levels as the measure takes them: Otsu's threshold of the rows scanned, and the mean grey of
    // the ink and the paper either side of it.
    const levels = ({ pixels, width, height }: GreyImage, every: number) => {
      const histogram = new Float64Array(256);
      for (let y = 0; y < height; y += every)
        for (let x = 0; x < width; x++) histogram[pixels[y * width + x]!]!++;
      const threshold = histogramThreshold(histogram, Math.ceil(height / every) * width);
      const mean = (from: number, to: number) => {
        let [sum, n] = [0, 0];
        for (let v = from; v <= to; v++) [sum, n] = [sum + v * histogram[v]!, n + histogram[v]!];
        return sum / n;
      };
      const [ink, paper] = [mean(0, threshold), mean(threshold + 1, 255)];
      return [ink + 0.2 * (paper - ink), ink + 0.8 * (paper - ink)] as const;
    };
    // Print in three greys, so runs of pixels between ink and paper lie along the edges too.
    for (const [width, height, seed] of [
      [37, 41, 1],
      [101, 77, 2],
      [203, 157, 3],
      [2001, 1013, 4], // over 2 megapixels: every second row and column
    ] as const) {
      const page = speckledPage(width, height, seed);
      for (let i = 0; i < page.pixels.length; i++) {
        const p = page.pixels[i]!;
        page.pixels[i] = p > 200 ? 235 : p > 60 ? 130 : 10;
      }
      const every = width * height > 2_000_000 ? 2 : 1;
      const [inkLevel, paperLevel] = levels(page, every);
      const measured = edgeWidth(page);
      expect(measured).toBeDefined();
      expect(measured).toBe(plain(page, inkLevel, paperLevel, every));
    }
  });

  test('the grey histogram kept in four tallies counts what one tally counts, of every row or some', () => {
    const next = random(11);
    for (const length of [0, 1, 3, 4, 5, 1001, 40_003]) {
      // Long runs of one grey, as paper is, and single pixels of others.
      const pixels = new Uint8Array(length);
      for (let i = 0; i < length; i++) pixels[i] = next() < 0.8 ? 250 : Math.floor(next() * 256);
      const plain = new Float64Array(256);
      for (const p of pixels) plain[p]!++;
      expect(greyHistogram(pixels)).toEqual(plain);
    }
    // Every third row of 37 pixels only, as edge width samples a photo's rows.
    const [width, height] = [37, 101];
    const pixels = new Uint8Array(width * height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = next() < 0.8 ? 250 : Math.floor(next() * 256);
    const plain = new Float64Array(256);
    for (let y = 0; y < height; y += 3) for (let x = 0; x < width; x++) plain[pixels[y * width + x]!]!++;
    expect(greyHistogram(pixels, width, 3)).toEqual(plain);
  });

  test('grey from RGBA is the same read a pixel at a time or four bytes at once', () => {
    const next = random(5);
    const rgba = Uint8Array.from({ length: 4 * 97 + 5 }, () => Math.floor(next() * 256));
    const aligned = toGrey(rgba.subarray(0, 4 * 97), 97, 1).pixels;
    // The same bytes one byte into a buffer: not word-aligned, read a byte at a time.
    const shifted = new Uint8Array(4 * 97 + 1);
    shifted.set(rgba.subarray(0, 4 * 97), 1);
    expect(Buffer.from(toGrey(shifted.subarray(1), 97, 1).pixels).equals(Buffer.from(aligned))).toBe(true);
    expect(aligned[3]).toBe((rgba[12]! * 77 + rgba[13]! * 150 + rgba[14]! * 29) >> 8);
  });
});
