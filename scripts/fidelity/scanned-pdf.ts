/*
 * A page image wrapped in a one-page PDF with no text layer, as a scanner's "scan to PDF" writes it:
 * the pixels exact (grey, no second JPEG generation), the page a US Letter width wide and as tall
 * as the image's proportions. For scripts/textract-fidelity.ts, to read the same page through the
 * local Textract's PDF path against its image path.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { otsuThreshold, toGrey } from '@docket/local/textract/grey-image';
import { writePdf } from '../../test/fixtures/textract/pdf-writer';

/**
 * `bitonal`: stored at one bit a pixel, as office scanners and fax store pages, scanned at 300 dpi:
 * the image drawn 2550 px wide (smoothly) and thresholded where the page's histogram divides (Otsu),
 * as a scanner's automatic threshold does.
 */
export async function scannedPdf(image: Buffer, { bitonal = false } = {}): Promise<Buffer> {
  const picture = await loadImage(image);
  const w = bitonal ? 2550 : picture.width;
  const h = Math.round((picture.height * w) / picture.width);
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, w, h);
  context.drawImage(picture, 0, 0, w, h);
  const { pixels } = toGrey(context.getImageData(0, 0, w, h).data, w, h);
  if (bitonal) {
    const threshold = otsuThreshold(pixels);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] ?? 0) <= threshold ? 0 : 255;
  }
  return writePdf([
    {
      lines: [],
      size: [612, Math.round((612 * h) / w)],
      image: { width: w, height: h, grey: pixels, bits: bitonal ? 1 : 8 },
    },
  ]);
}
