/*
 * A page image wrapped in a one-page PDF with no text layer, as a scanner's "scan to PDF" writes it:
 * the pixels exactly (grey, Flate-compressed, no second JPEG generation), the page a US Letter width
 * wide and as tall as the image's proportions. For scripts/textract-fidelity.ts, to read the same
 * page through the local Textract's PDF path (rendered at its DPI) against its image path.
 */
import { deflateSync } from 'node:zlib';
import { createCanvas, loadImage } from '@napi-rs/canvas';

export async function scannedPdf(image: Buffer): Promise<Buffer> {
  const picture = await loadImage(image);
  const [w, h] = [picture.width, picture.height];
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, w, h);
  context.drawImage(picture, 0, 0);
  const rgba = context.getImageData(0, 0, w, h).data;
  const grey = Buffer.alloc(w * h);
  for (let i = 0; i < grey.length; i++) {
    grey[i] =
      ((rgba[i * 4] ?? 255) * 77 + (rgba[i * 4 + 1] ?? 255) * 150 + (rgba[i * 4 + 2] ?? 255) * 29) >> 8;
  }
  const pixels = deflateSync(grey);
  const [pageW, pageH] = [612, Math.round((612 * h) / w)];
  const content = `q ${pageW} 0 0 ${pageH} 0 0 cm /Im1 Do Q`;
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pageW} ${pageH}] ` +
        `/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>`,
    ),
    Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`),
    Buffer.concat([
      Buffer.from(
        `<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceGray ` +
          `/BitsPerComponent 8 /Filter /FlateDecode /Length ${pixels.length} >>\nstream\n`,
      ),
      pixels,
      Buffer.from('\nendstream'),
    ]),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  let at = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(at);
    const part = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), obj, Buffer.from('\nendobj\n')]);
    parts.push(part);
    at += part.length;
  });
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) tail += `${String(offset).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(Buffer.from(tail));
  return Buffer.concat(parts);
}
