/*
 * Makes the demo's sample documents (committed under demo/samples/, so the demo never depends on
 * fonts or tools at run time): a clean invoice PDF with a text layer, and a degraded scan of a
 * similar invoice as a noisy, low-resolution PNG. Run: npx tsx scripts/make-demo-samples.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';

const outDir = path.resolve(__dirname, '..', 'demo', 'samples');

/** A one-page PDF whose text layer holds `lines` (Helvetica), with a correct xref table. */
function textPdf(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = ['BT', '/F1 14 Tf', '16 TL', '72 740 Td', ...lines.map((l) => `(${esc(l)}) '`), 'ET'].join(
    '\n',
  );
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/**
 * A faded, low-resolution rendering (text drawn small, then enlarged): what a bad fax or an old
 * photocopy gives OCR. Words stay legible, but with less confidence than a clean page.
 */
function degradedScan(lines: string[]): Buffer {
  const small = createCanvas(400, 150);
  const s = small.getContext('2d');
  s.fillStyle = '#e4e0d6';
  s.fillRect(0, 0, 400, 150);
  s.fillStyle = '#aba79e';
  s.font = '7px DejaVu Sans';
  lines.forEach((line, i) => s.fillText(line, 14, 22 + i * 15));
  const canvas = createCanvas(800, 300);
  const g = canvas.getContext('2d');
  g.imageSmoothingEnabled = true;
  g.drawImage(small, 0, 0, 800, 300);
  return canvas.toBuffer('image/png');
}

const invoice = [
  'ACME Office Supplies Ltd',
  '12 Harbour Road, Bristol',
  '',
  'Invoice Number: INV-1001',
  'Invoice Date: 2026-11-02',
  'Customer: Northwind Traders',
  'Total Due: $1,250.00',
];
const scanned = [
  'Blue Harbor Catering',
  'Invoice Number: BH-2291',
  'Invoice Date: 2026-10-28',
  'Customer: Northwind Traders',
  'Total Due: $318.40',
];

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'clean-invoice.pdf'), textPdf(invoice));
fs.writeFileSync(path.join(outDir, 'degraded-scan.png'), degradedScan(scanned));
fs.writeFileSync(
  path.join(outDir, 'meeting-notes.txt'),
  'Notes from Tuesday: order more paper, call the printer technician.\n',
);
console.log(`samples written to ${outDir}`);
