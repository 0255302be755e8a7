/*
 * Degraded copies of a page image, as scanners and phones deliver them, for scripts/textract-fidelity.ts:
 * skewed 3°, blurred by a pixel, with sensor noise, at half resolution, and as a JPEG of quality 25.
 * And a control for the skewed copy: moved half a pixel each way, the same bilinear resampling as the
 * turn (every pixel drawn between four) without any turn, so what the skew itself costs shows apart
 * from what the copy's own interpolation costs print a few pixels tall.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';

export const degradations = [
  'skew 3°',
  'shift ½px',
  'blur 1px',
  'noise',
  'half resolution',
  'jpeg q25',
] as const;
export type Degradation = (typeof degradations)[number];

/** The image degraded one way; PNG except for the JPEG case, so nothing else is lost on the way. */
export async function degrade(bytes: Buffer, kind: Degradation): Promise<Buffer> {
  const image = await loadImage(bytes);
  const half = kind === 'half resolution';
  const [w, h] = half
    ? [Math.round(image.width / 2), Math.round(image.height / 2)]
    : [image.width, image.height];
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, w, h);
  if (kind === 'skew 3°') {
    context.translate(w / 2, h / 2);
    context.rotate((3 * Math.PI) / 180);
    context.translate(-w / 2, -h / 2);
  }
  if (kind === 'shift ½px') context.translate(0.5, 0.5);
  if (kind === 'blur 1px') context.filter = 'blur(1px)';
  context.drawImage(image, 0, 0, w, h);
  if (kind === 'noise') {
    const data = context.getImageData(0, 0, w, h);
    // Gaussian noise of standard deviation 20 (of 255) per pixel, the same on each channel; seeded.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
    for (let i = 0; i < data.data.length; i += 4) {
      const n = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random()) * 20;
      for (let c = 0; c < 3; c++) data.data[i + c] = Math.max(0, Math.min(255, (data.data[i + c] ?? 0) + n));
    }
    context.putImageData(data, 0, 0);
  }
  return kind === 'jpeg q25' ? canvas.encode('jpeg', 25) : canvas.encode('png');
}
