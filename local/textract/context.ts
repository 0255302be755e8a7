/** What every operation handler needs: the AWS clients, the OCR pool, fixtures, faults and settings. */
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from 'pino';
import type { Faults } from './faults';
import type { FixtureLibrary } from './fixtures';
import type { OcrPool } from './ocr-pool';

export interface ServiceSettings {
  /** Shortest time an async job stays IN_PROGRESS. */
  minJobMs: number;
  /** How long a finished job's results stay readable (Textract: 7 days). */
  resultTtlMs: number;
  /** Resolution scanned PDF pages are rendered at for OCR. */
  dpi: number;
  /** Pixel height images are scaled to give their typical character before OCR. */
  charHeight: number;
  /** Read a PDF page's own text layer instead of OCR when it has one. */
  useTextLayer: boolean;
  /** Serve `<key>.textract.json` next to a document as its recorded response. */
  sidecars: boolean;
}

export interface ServiceContext {
  s3: S3Client;
  kms: KMSClient;
  sns: SNSClient;
  pool: OcrPool;
  fixtures: FixtureLibrary;
  faults: Faults;
  settings: ServiceSettings;
  log: Logger;
}
