/*
 * The points benchmark's pages (scripts/points-bench/capture.ts): rows of label and figures laid out
 * as an invoice, payslip, statement, form, network report or European invoice, with where each
 * figure's words were drawn as the ground truth, and the degraded copies of each page.
 *
 * A page is a function of its number alone (seeded generators), so two runs, or a run with fewer
 * pages, print the same pages. The figures' size is drawn apart from the body text's, from 0.45 to
 * 1.4 times it, since the lost points this measures are those of small print beside larger labels.
 * Figures sit bare, after a leader of full stops or of dots, or over a dotted underline: dots near a
 * figure that are not its points. The fonts are DejaVu's, as installed with fonts-dejavu-core, so
 * the pages do not depend on what else the machine has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { degrade as degradeLikeCorpus } from '../fidelity-variants';
import { figureText, rng, type Category } from './figures';

const fontDir = '/usr/share/fonts/truetype/dejavu';
const fontFiles = {
  NPSans: 'DejaVuSans.ttf',
  NPSansBold: 'DejaVuSans-Bold.ttf',
  NPSerif: 'DejaVuSerif.ttf',
  NPSerifBold: 'DejaVuSerif-Bold.ttf',
  NPMono: 'DejaVuSansMono.ttf',
  NPMonoBold: 'DejaVuSansMono-Bold.ttf',
};

/** Makes the DejaVu faces drawable; without them the canvas would fall back to some other font. */
export function registerFonts(): void {
  for (const [alias, file] of Object.entries(fontFiles)) {
    const font = path.join(fontDir, file);
    if (!fs.existsSync(font)) throw new Error(`${font} is missing (apt-get install fonts-dejavu-core)`);
    GlobalFonts.registerFromPath(font, alias);
  }
}

type Face = 'sans' | 'serif' | 'mono';
const family = (face: Face, bold: boolean) =>
  `NP${face === 'sans' ? 'Sans' : face === 'serif' ? 'Serif' : 'Mono'}${bold ? 'Bold' : ''}`;

const labelWords =
  'Total Subtotal Balance Amount Net Gross Tax Fee Rate Hours Basic Pay Overtime Pension Deduction Payment Credit Debit Interest Charge Service Delivery Discount Deposit Transfer Invoice Account Reference Phone Date Period Customer Employee Number Address Server Host Gateway Port Units Quantity Price Unit Item Description Consulting Hosting Licence Support Travel Materials Labour Insurance Rent Utilities Water Electricity Opening Closing Previous Carried Forward Brought Statement Summary Sort Code Card Mobile Office Issued Due Paid Received Adjustment Refund Commission Bonus Holiday Allowance National Contribution Student Loan Benefit Withholding Excise Shipping Handling Packaging'.split(
    ' ',
  );
const layouts = ['invoice', 'payslip', 'statement', 'form', 'techlog', 'european'] as const;
type Layout = (typeof layouts)[number];
/** How often each kind of figure comes up on each layout. */
const layoutMix: Record<Layout, Partial<Record<Category, number>>> = {
  invoice: { money: 6, integer: 2, grouped: 1, date: 1, 'id/phone': 1 },
  payslip: { money: 6, integer: 1, grouped: 1, date: 1, 'id/phone': 1 },
  statement: { money: 5, grouped: 2, date: 2, 'id/phone': 1, integer: 1 },
  form: { 'id/phone': 4, date: 3, money: 2, integer: 2, ip: 1 },
  techlog: { ip: 4, integer: 3, grouped: 2, date: 2, money: 1 },
  european: { european: 7, date: 2, integer: 1, money: 1 },
};
const titles: Record<Layout, string> = {
  invoice: 'INVOICE',
  payslip: 'PAYSLIP',
  statement: 'Account Statement',
  form: 'Application Form',
  techlog: 'Network Report',
  european: 'Rechnung Facture',
};

export type Context = 'plain' | 'leader-text' | 'leader-dots' | 'underline';

/** A word of a figure as drawn. */
export interface TruthToken {
  text: string;
  cat: Category;
  context: Context;
  /** The whole value the word belongs to ("555 0123" for "555"). */
  value: string;
  /** Box as fractions of the page, which the recogniser's scaling leaves as they are. */
  box: { left: number; top: number; width: number; height: number };
  /** A digit's height in the generated page's pixels. */
  digitHeight: number;
}

export interface PageSpec {
  base: number;
  layout: Layout;
  face: Face;
  bold: boolean;
  bodyFace: Face;
  bodySize: number;
  figSize: number;
  ink: string;
  paper: string;
}

export function pageSpec(base: number): PageSpec {
  const r = rng(1000 + base * 7919);
  const layout = layouts[base % layouts.length]!;
  const face = r.pick(['sans', 'serif', 'mono'] as const);
  const bold = r.next() < 0.35;
  const bodyFace = r.next() < 0.6 ? face : r.pick(['sans', 'serif', 'mono'] as const);
  const bodySize = r.pick([12, 14, 16, 20, 24, 28]);
  const ratio = r.pick([0.45, 0.55, 0.65, 0.75, 0.9, 1.0, 1.2, 1.4]);
  const figSize = Math.max(7, Math.round(bodySize * ratio));
  const grey = r.next() < 0.2;
  return {
    base,
    layout,
    face,
    bold,
    bodyFace,
    bodySize,
    figSize,
    ink: grey ? r.pick(['#333333', '#444444', '#222233']) : '#000000',
    paper: grey ? '#fafaf5' : '#ffffff',
  };
}

export interface Page {
  png: Buffer;
  width: number;
  height: number;
  tokens: TruthToken[];
}

export function renderPage(spec: PageSpec): Page {
  const r = rng(50_000 + spec.base * 104729);
  const W = 1100;
  const margin = 50;
  const rowH = Math.round(Math.max(spec.bodySize, spec.figSize) * 1.75);
  const rows = Math.min(40, Math.floor(1500 / rowH));
  const H = margin * 2 + Math.round(spec.bodySize * 3) + rows * rowH;
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = spec.paper;
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = spec.ink;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  const bodyFont = `${spec.bodySize}px ${family(spec.bodyFace, false)}`;
  const figFont = `${spec.figSize}px ${family(spec.face, spec.bold)}`;
  ctx.font = figFont;
  const digitHeight = ctx.measureText('0').actualBoundingBoxAscent;
  const tokens: TruthToken[] = [];

  ctx.font = `${Math.round(spec.bodySize * 1.5)}px ${family(spec.bodyFace, true)}`;
  ctx.fillText(`${titles[spec.layout]} Northwind Trading`, margin, margin + spec.bodySize * 1.5);
  let y = margin + Math.round(spec.bodySize * 3);

  const label = (maxWidth: number) => {
    ctx.font = bodyFont;
    const words: string[] = [];
    const n = r.int(1, 4);
    for (let i = 0; i < n; i++) {
      const w = r.pick(labelWords);
      const trial = [...words, i === 0 ? w : w.toLowerCase()].join(' ');
      if (ctx.measureText(trial).width > maxWidth && words.length > 0) break;
      words.push(i === 0 ? w : w.toLowerCase());
    }
    return words.join(' ');
  };
  // Draws a value's words ending (right-aligned) at `right`; returns its left and right edges.
  const drawValue = (parts: string[], cat: Category, context: Context, right: number, base: number) => {
    ctx.font = figFont;
    const space = ctx.measureText(' ').width;
    const widths = parts.map((p) => ctx.measureText(p).width);
    const total = widths.reduce((a, b) => a + b, 0) + space * (parts.length - 1);
    let x = right - total;
    const left = x;
    parts.forEach((p, i) => {
      ctx.fillText(p, x, base);
      const m = ctx.measureText(p);
      const bl = x - m.actualBoundingBoxLeft;
      const br = x + m.actualBoundingBoxRight;
      const bt = base - m.actualBoundingBoxAscent;
      const bb = base + m.actualBoundingBoxDescent;
      if (/\d/.test(p)) {
        tokens.push({
          text: p,
          cat,
          context,
          value: parts.join(' '),
          box: { left: bl / W, top: bt / H, width: (br - bl) / W, height: (bb - bt) / H },
          digitHeight,
        });
      }
      x += widths[i]! + space;
    });
    return { left, right: left + total };
  };
  const dot = (cx: number, cy: number, size: number) => {
    ctx.fillRect(Math.round(cx), Math.round(cy), size, size);
  };

  const mix = layoutMix[spec.layout];
  for (let row = 0; row < rows; row++) {
    const base = y + Math.round(rowH * 0.7);
    const context = r.weighted<Context>({ plain: 5, 'leader-text': 1.5, 'leader-dots': 1.5, underline: 1.5 });
    const nValues = context === 'plain' ? r.int(1, 3) : 1;
    const text = label(W * 0.4);
    ctx.font = bodyFont;
    ctx.fillText(text, margin, base);
    const labelRight = margin + ctx.measureText(text).width;
    // Values right-aligned from the right margin leftwards, two and a half ems apart.
    let right = W - margin;
    for (let c = 0; c < nValues; c++) {
      const cat = r.weighted(mix);
      const parts = figureText(cat, r);
      ctx.font = figFont;
      const need = ctx.measureText(parts.join(' ')).width;
      if (right - need < labelRight + spec.figSize * 4) break;
      const box = drawValue(parts, cat, context, right, base);
      right = box.left - spec.figSize * 2.5;
      if (context === 'leader-text') {
        // Full stops in the figures' font from the label to the value, with or without a space.
        ctx.font = figFont;
        const dotW = ctx.measureText('.').width;
        const gap = r.next() < 0.5 ? ctx.measureText(' ').width : 0;
        const start = labelRight + ctx.measureText(' ').width;
        const n = Math.floor((box.left - gap - start) / dotW);
        if (n > 0) ctx.fillText('.'.repeat(n), box.left - gap - n * dotW, base);
      } else if (context === 'leader-dots') {
        const size = spec.figSize >= 14 ? 2 : 1;
        const step = r.pick([3, 4, 5, 6]);
        const gap = r.pick([0.3, 0.6, 1.0]) * spec.figSize;
        for (let x = box.left - gap; x > labelRight + 6; x -= step) dot(x, base - size, size);
      } else if (context === 'underline') {
        const size = spec.figSize >= 14 ? 2 : 1;
        const step = r.pick([2, 3, 4]);
        const below = Math.max(2, Math.round(spec.figSize * r.pick([0.15, 0.25, 0.35])));
        for (let x = box.left; x < box.right; x += step) dot(x, base + below, size);
      }
    }
    y += rowH;
  }
  return { png: canvas.encodeSync('png'), width: W, height: H, tokens };
}

/** The copies each page is read as: as generated, shrunk (smaller print), blurred, noisy, JPEG. */
export const degradations = ['clean', 'scale 0.5', 'scale 0.4', 'blur 1px', 'noise', 'jpeg q25'] as const;
export type Degradation = (typeof degradations)[number];

/** How much a degradation shrinks the page. */
export const shrinkOf = (kind: Degradation) => (kind === 'scale 0.5' ? 0.5 : kind === 'scale 0.4' ? 0.4 : 1);

/**
 * The page degraded one way: blurred, noisy or as a JPEG as scripts/textract-fidelity.ts degrades the
 * corpus (fidelity-variants.ts), or shrunk (mipmapped, as a scanner's lower resolution).
 */
export async function degrade(png: Buffer, kind: Degradation): Promise<Buffer> {
  if (kind === 'clean') return png;
  if (kind === 'blur 1px' || kind === 'noise' || kind === 'jpeg q25') return degradeLikeCorpus(png, kind);
  const image = await loadImage(png);
  const scale = shrinkOf(kind);
  const [w, h] = [Math.round(image.width * scale), Math.round(image.height * scale)];
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, w, h);
  context.imageSmoothingQuality = 'medium';
  context.drawImage(image, 0, 0, w, h);
  return canvas.encode('png');
}
