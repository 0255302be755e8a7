/**
 * Table figures for scripts/textract-fidelity.ts: per corpus document whose real response holds
 * tables, an asynchronous StartDocumentAnalysis with TABLES through the SDK, and its cell-text F1
 * against the real response (scripts/fidelity/table-f1.ts). The goal is 0.8 per document.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  GetDocumentAnalysisCommand,
  StartDocumentAnalysisCommand,
  type Block,
  type TextractClient,
} from '@aws-sdk/client-textract';
import { cellF1 } from './table-f1';

/** Blocks of an analysis job with `featureTypes`, all pages. */
export async function analyse(
  textract: TextractClient,
  bucket: string,
  key: string,
  featureTypes: ('TABLES' | 'FORMS' | 'LAYOUT' | 'SIGNATURES')[],
): Promise<Block[]> {
  const { JobId } = await textract.send(
    new StartDocumentAnalysisCommand({
      DocumentLocation: { S3Object: { Bucket: bucket, Name: key } },
      FeatureTypes: featureTypes,
    }),
  );
  const blocks: Block[] = [];
  let token: string | undefined;
  for (;;) {
    const res = await textract.send(new GetDocumentAnalysisCommand({ JobId, NextToken: token }));
    if (res.JobStatus === 'IN_PROGRESS') {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (res.JobStatus === 'FAILED') throw new Error(`analysis job failed: ${res.StatusMessage}`);
    blocks.push(...(res.Blocks ?? []));
    token = res.NextToken;
    if (!token) return blocks;
  }
}

/** Prints cell-text F1 per corpus document with tables (documents already under `corpus/<name>`). */
export async function tableFidelity(textract: TextractClient, bucket: string, corpus: string): Promise<void> {
  const names = fs.readdirSync(path.join(corpus, 'documents')).sort();
  console.log(
    '\ntables: document                  tables(ours/real)  cells(ours/real)  precision  recall  cell F1',
  );
  const scores: number[] = [];
  for (const name of names) {
    const file = path.join(corpus, 'textract', `${name}.analysis.json`);
    if (!fs.existsSync(file)) continue;
    const real = (JSON.parse(fs.readFileSync(file, 'utf8')) as { Blocks: Block[] }).Blocks;
    if (!real.some((b) => b.BlockType === 'TABLE')) continue;
    const s = cellF1(await analyse(textract, bucket, `corpus/${name}`, ['TABLES']), real);
    scores.push(s.f1);
    console.log(
      `        ${name.padEnd(26)}${`${s.tables}/${s.referenceTables}`.padStart(17)}  ${`${s.cells}/${s.referenceCells}`.padStart(16)}  ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3).padStart(7)}`,
    );
  }
  const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  console.log(`        mean cell F1 over ${scores.length} documents: ${mean.toFixed(3)} (goal 0.8 each)`);
}
