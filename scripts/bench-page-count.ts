/*
 * What counting pages costs the checksum pass: SHA-256 alone vs SHA-256 plus the streamed PDF page
 * counter, over a 3,000-page PDF padded with binary data, fed in 64 KiB chunks as S3 streams it.
 * Prints MB/s and the count; asserts nothing. `npx tsx scripts/bench-page-count.ts [MB]`
 */
import { createHash, randomBytes } from 'node:crypto';
import { PdfPageCounter } from '../lib/pages/page-count';
import { pagedPdf } from '../test/support/paged-documents';

const mb = Number(process.argv[2] ?? 200);
const pdf = Buffer.concat([pagedPdf(3000), randomBytes(mb * 1024 * 1024)]);
const chunk = 64 * 1024;

function run(count: boolean): { ms: number; pages: number | undefined } {
  const started = process.hrtime.bigint();
  const hash = createHash('sha256');
  const counter = new PdfPageCounter();
  for (let at = 0; at < pdf.length; at += chunk) {
    const part = pdf.subarray(at, at + chunk);
    hash.update(part);
    if (count) counter.push(part);
  }
  hash.digest();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, pages: count ? counter.pages : undefined };
}

const rounds = 3;
for (const count of [false, true]) {
  const times: number[] = [];
  let pages: number | undefined;
  for (let i = 0; i < rounds; i++) {
    const r = run(count);
    times.push(r.ms);
    pages = r.pages;
  }
  const best = Math.min(...times);
  const rate = pdf.length / 1024 / 1024 / (best / 1000);
  console.log(
    `${count ? 'sha256 + page count' : 'sha256 only       '}  ${(pdf.length / 1024 / 1024).toFixed(0)} MB  best of ${rounds}: ${best.toFixed(0)} ms  ${rate.toFixed(0)} MB/s${count ? `  pages=${String(pages)}` : ''}`,
  );
}
