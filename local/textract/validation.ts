/**
 * Request validation against the Textract service model's constraints, turning raw JSON bodies into
 * typed requests. Messages name the parameter and what is wrong with it, as the real service does.
 */
import { invalidParameter } from './errors';

export const FeatureType = {
  TABLES: 'TABLES',
  FORMS: 'FORMS',
  QUERIES: 'QUERIES',
  SIGNATURES: 'SIGNATURES',
  LAYOUT: 'LAYOUT',
} as const;
export type FeatureType = (typeof FeatureType)[keyof typeof FeatureType];

export interface S3ObjectRef {
  bucket: string;
  name: string;
  version?: string;
}

export interface QueryInput {
  text: string;
  alias?: string;
  pages?: string[];
}

/** What Start*, Analyze* and Detect* have in common once validated. */
export interface AnalysisParams {
  featureTypes: FeatureType[];
  queries: QueryInput[];
}

export interface StartRequest extends AnalysisParams {
  document: S3ObjectRef;
  clientRequestToken?: string;
  jobTag?: string;
  notificationChannel?: { snsTopicArn: string; roleArn: string };
  outputConfig?: { bucket: string; prefix?: string };
  kmsKeyId?: string;
}

export interface GetRequest {
  jobId: string;
  maxResults: number;
  nextToken?: string;
}

export interface SyncRequest extends AnalysisParams {
  /** Either the inline bytes or an S3 object, never both. */
  bytes?: Buffer;
  s3Object?: S3ObjectRef;
}

type Json = Record<string, unknown>;

const patterns = {
  bucket: /^[0-9A-Za-z.\-_]*$/,
  token: /^[a-zA-Z0-9-_]+$/,
  jobTag: /^[a-zA-Z0-9_.\-:]+$/,
  snsTopicArn: /^arn:([a-z\d-]+):sns:[a-zA-Z\d-]{2,}:\d{12}:.+$/,
  roleArn: /^arn:([a-z\d-]+):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/,
  kmsKeyId: /^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$/,
  prefix: /\S/,
  queryPages: /^[0-9*-]+$/,
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, field: string, required: true): Json;
function object(value: unknown, field: string, required: false): Json | undefined;
function object(value: unknown, field: string, required: boolean): Json | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalidParameter(`${field} is required`);
    return undefined;
  }
  if (!isObject(value)) throw invalidParameter(`${field} must be an object`);
  return value;
}

interface StringRule {
  min?: number;
  max: number;
  pattern?: RegExp;
}

function str(value: unknown, field: string, rule: StringRule, required: true): string;
function str(value: unknown, field: string, rule: StringRule, required: false): string | undefined;
function str(value: unknown, field: string, rule: StringRule, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalidParameter(`${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidParameter(`${field} must be a string`);
  const min = rule.min ?? 1;
  if (value.length < min || value.length > rule.max) {
    throw invalidParameter(`${field} must be ${min} to ${rule.max} characters long, got ${value.length}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw invalidParameter(`${field} must match the pattern ${String(rule.pattern)}`);
  }
  return value;
}

function s3Object(value: unknown, field: string): S3ObjectRef {
  const o = object(value, field, true);
  const version = str(o.Version, `${field}.Version`, { max: 1024 }, false);
  return {
    bucket: str(o.Bucket, `${field}.Bucket`, { min: 3, max: 255, pattern: patterns.bucket }, true),
    name: str(o.Name, `${field}.Name`, { max: 1024 }, true),
    ...(version !== undefined ? { version } : {}),
  };
}

function analysisParams(body: Json, analysis: boolean): AnalysisParams {
  if (!analysis) return { featureTypes: [], queries: [] };
  const raw = body.FeatureTypes;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw invalidParameter(
      `FeatureTypes is required: a non-empty list of ${Object.keys(FeatureType).join(', ')}`,
    );
  }
  const featureTypes: FeatureType[] = [];
  for (const f of raw) {
    if (typeof f !== 'string' || !(f in FeatureType)) {
      throw invalidParameter(
        `FeatureTypes contains '${String(f)}': each must be one of ${Object.keys(FeatureType).join(', ')}`,
      );
    }
    if (!featureTypes.includes(f as FeatureType)) featureTypes.push(f as FeatureType);
  }
  const config = object(body.QueriesConfig, 'QueriesConfig', false);
  const wantsQueries = featureTypes.includes(FeatureType.QUERIES);
  if (wantsQueries && !config)
    throw invalidParameter('QueriesConfig is required when FeatureTypes contains QUERIES');
  if (!wantsQueries && config)
    throw invalidParameter('QueriesConfig is only allowed when FeatureTypes contains QUERIES');
  const queries: QueryInput[] = [];
  if (config) {
    if (!Array.isArray(config.Queries) || config.Queries.length === 0) {
      throw invalidParameter('QueriesConfig.Queries must be a non-empty list');
    }
    config.Queries.forEach((q, i) => {
      const field = `QueriesConfig.Queries[${i}]`;
      const o = object(q, field, true);
      const alias = str(o.Alias, `${field}.Alias`, { max: 100 }, false);
      let pages: string[] | undefined;
      if (o.Pages !== undefined) {
        if (!Array.isArray(o.Pages) || o.Pages.length === 0)
          throw invalidParameter(`${field}.Pages must be a list`);
        pages = o.Pages.map((p, j) =>
          str(p, `${field}.Pages[${j}]`, { max: 9, pattern: patterns.queryPages }, true),
        );
      }
      queries.push({
        text: str(o.Text, `${field}.Text`, { max: 200 }, true),
        ...(alias !== undefined ? { alias } : {}),
        ...(pages ? { pages } : {}),
      });
    });
  }
  return { featureTypes, queries };
}

/** Validates a StartDocumentTextDetection (analysis=false) or StartDocumentAnalysis body. */
export function parseStartRequest(body: Json, analysis: boolean): StartRequest {
  const location = object(body.DocumentLocation, 'DocumentLocation', true);
  const document = s3Object(location.S3Object, 'DocumentLocation.S3Object');
  const clientRequestToken = str(
    body.ClientRequestToken,
    'ClientRequestToken',
    { max: 64, pattern: patterns.token },
    false,
  );
  const jobTag = str(body.JobTag, 'JobTag', { max: 64, pattern: patterns.jobTag }, false);
  const channel = object(body.NotificationChannel, 'NotificationChannel', false);
  const output = object(body.OutputConfig, 'OutputConfig', false);
  const kmsKeyId = str(body.KMSKeyId, 'KMSKeyId', { max: 2048, pattern: patterns.kmsKeyId }, false);
  const prefix = output
    ? str(output.S3Prefix, 'OutputConfig.S3Prefix', { max: 1024, pattern: patterns.prefix }, false)
    : undefined;
  return {
    document,
    ...(clientRequestToken !== undefined ? { clientRequestToken } : {}),
    ...(jobTag !== undefined ? { jobTag } : {}),
    ...(channel
      ? {
          notificationChannel: {
            snsTopicArn: str(
              channel.SNSTopicArn,
              'NotificationChannel.SNSTopicArn',
              { min: 20, max: 1024, pattern: patterns.snsTopicArn },
              true,
            ),
            roleArn: str(
              channel.RoleArn,
              'NotificationChannel.RoleArn',
              { min: 20, max: 2048, pattern: patterns.roleArn },
              true,
            ),
          },
        }
      : {}),
    ...(output
      ? {
          outputConfig: {
            bucket: str(
              output.S3Bucket,
              'OutputConfig.S3Bucket',
              { min: 3, max: 255, pattern: patterns.bucket },
              true,
            ),
            ...(prefix !== undefined ? { prefix } : {}),
          },
        }
      : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    ...analysisParams(body, analysis),
  };
}

/** Validates a GetDocumentTextDetection or GetDocumentAnalysis body. */
export function parseGetRequest(body: Json): GetRequest {
  const jobId = str(body.JobId, 'JobId', { max: 64, pattern: patterns.token }, true);
  let maxResults = 1000;
  if (body.MaxResults !== undefined && body.MaxResults !== null) {
    const m = body.MaxResults;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) {
      throw invalidParameter(`MaxResults must be an integer of at least 1, got ${JSON.stringify(m)}`);
    }
    // The real service accepts larger values and caps them at 1000.
    maxResults = Math.min(m, 1000);
  }
  const nextToken = str(body.NextToken, 'NextToken', { max: 255 }, false);
  return { jobId, maxResults, ...(nextToken !== undefined ? { nextToken } : {}) };
}

/** Validates a DetectDocumentText (analysis=false) or AnalyzeDocument body. */
export function parseSyncRequest(body: Json, analysis: boolean): SyncRequest {
  const document = object(body.Document, 'Document', true);
  const hasBytes = document.Bytes !== undefined && document.Bytes !== null;
  const hasObject = document.S3Object !== undefined && document.S3Object !== null;
  if (hasBytes === hasObject) throw invalidParameter('Document must have exactly one of Bytes and S3Object');
  let bytes: Buffer | undefined;
  if (hasBytes) {
    if (typeof document.Bytes !== 'string') throw invalidParameter('Document.Bytes must be base64-encoded');
    bytes = Buffer.from(document.Bytes, 'base64');
    if (bytes.length === 0) throw invalidParameter('Document.Bytes must not be empty');
  }
  return {
    ...(bytes ? { bytes } : { s3Object: s3Object(document.S3Object, 'Document.S3Object') }),
    ...analysisParams(body, analysis),
  };
}
