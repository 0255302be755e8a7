/*
 * A page image wrapped in a one-page PDF with no text layer, as a scanner's "scan to PDF" writes it:
 * the pixels exactly (grey, no second JPEG generation), the page a US Letter width wide and as tall
 * as the image's proportions. For scripts/textract-fidelity.ts, to read the same page through the
 * local Textract's PDF path (rendered at its DPI) against its image path.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { toGrey } from '@docket/local/textract/grey-image';
import { writePdf } from '../../test/fixtures/textract/pdf-writer';

export async function scannedPdf(image: Buffer): Promise<Buffer> {
  const picture = await loadImage(image);
  const [w, h] = [picture.width, picture.height];
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, w, h);
  context.drawImage(picture, 0, 0);
  const { pixels } = toGrey(context.getImageData(0, 0, w, h).data, w, h);
  return writePdf([
    { lines: [], size: [612, Math.round((612 * h) / w)], image: { width: w, height: h, grey: pixels } },
  ]);
}
