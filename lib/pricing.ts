/**
 * What one document costs: Textract pages × the price of the API and features the profile asks for,
 * Temporal actions and KMS requests. Pure and dependency-free: the worker prices documents with the
 * configured table (workers/config.ts, DOCKET_PRICES_FILE / DOCKET_PRICES), the workflow only counts.
 * Defaults and their sources: docs/configuration.md ("Prices").
 */
import { z } from 'zod';
import { type ProfileTextract, TextractApi, type TextractFeature } from './profile';

/** USD prices. Textract prices are per page, first-million-pages tier, us-east-1. */
export interface PriceTable {
  textract: {
    /** StartDocumentTextDetection (DetectDocumentText), per page. */
    detectDocumentText: number;
    /**
     * StartDocumentAnalysis, per page and feature; a page analysed for several features costs the sum
     * (the price list's combined rates equal the sum for the combinations docket profiles use).
     */
    analyzeDocument: Record<TextractFeature, number>;
    /** StartExpenseAnalysis (AnalyzeExpense), per page. */
    analyzeExpense: number;
  };
  /** Temporal Cloud, per billed action. */
  temporalAction: number;
  /** AWS KMS, per API request (GenerateDataKey, Decrypt, Encrypt). */
  kmsRequest: number;
}

/** Where each default comes from: see docs/configuration.md for dates and pages. */
export const defaultPrices: PriceTable = {
  textract: {
    detectDocumentText: 0.0015,
    analyzeDocument: { TABLES: 0.015, FORMS: 0.05, QUERIES: 0.015, SIGNATURES: 0.0035, LAYOUT: 0.004 },
    analyzeExpense: 0.01,
  },
  temporalAction: 0.00005,
  kmsRequest: 0.000003,
};

const price = z.number().nonnegative().finite();

/** An override of any part of the table (JSON file or env); unknown keys are errors. */
export const priceOverrideSchema = z.strictObject({
  textract: z
    .strictObject({
      detectDocumentText: price.optional(),
      analyzeDocument: z
        .strictObject({
          TABLES: price.optional(),
          FORMS: price.optional(),
          QUERIES: price.optional(),
          SIGNATURES: price.optional(),
          LAYOUT: price.optional(),
        })
        .optional(),
      analyzeExpense: price.optional(),
    })
    .optional(),
  temporalAction: price.optional(),
  kmsRequest: price.optional(),
});
export type PriceOverride = z.infer<typeof priceOverrideSchema>;

/** The defaults with an override applied. */
export function withOverride(base: PriceTable, o: PriceOverride): PriceTable {
  const defined = <T extends object>(v: T | undefined) =>
    Object.fromEntries(Object.entries(v ?? {}).filter(([, x]) => x !== undefined)) as Partial<T>;
  return {
    textract: {
      detectDocumentText: o.textract?.detectDocumentText ?? base.textract.detectDocumentText,
      analyzeDocument: { ...base.textract.analyzeDocument, ...defined(o.textract?.analyzeDocument) },
      analyzeExpense: o.textract?.analyzeExpense ?? base.textract.analyzeExpense,
    },
    temporalAction: o.temporalAction ?? base.temporalAction,
    kmsRequest: o.kmsRequest ?? base.kmsRequest,
  };
}

/** USD per page for what the profile asks Textract to do. */
export function textractPagePrice(textract: ProfileTextract, prices: PriceTable): number {
  if (textract.api === TextractApi.TEXT_DETECTION) return prices.textract.detectDocumentText;
  const features = new Set(textract.features);
  // Queries are billed when the profile asks any, even if QUERIES is not listed (docket adds it).
  if ((textract.queries?.length ?? 0) > 0) features.add('QUERIES');
  let sum = 0;
  for (const f of features) sum += prices.textract.analyzeDocument[f];
  return sum;
}

/** What a document consumed, counted by the workflow and the activities. */
export interface DocumentUsage {
  pages: number;
  temporalActions: number;
  kmsRequests: number;
}

/** The cost of one document in USD, written in the output (schema 2) and shown by `status`. */
export interface DocumentCost {
  currency: 'USD';
  total: number;
  textract: { pages: number; pricePerPage: number; usd: number };
  temporal: { actions: number; usd: number };
  kms: { requests: number; usd: number };
}

/** Rounds to micro-dollars so sums print and compare cleanly. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6;

export function documentCost(
  textract: ProfileTextract,
  usage: DocumentUsage,
  prices: PriceTable,
): DocumentCost {
  const pricePerPage = textractPagePrice(textract, prices);
  const t = roundUsd(usage.pages * pricePerPage);
  const a = roundUsd(usage.temporalActions * prices.temporalAction);
  const k = roundUsd(usage.kmsRequests * prices.kmsRequest);
  return {
    currency: 'USD',
    total: roundUsd(t + a + k),
    textract: { pages: usage.pages, pricePerPage, usd: t },
    temporal: { actions: usage.temporalActions, usd: a },
    kms: { requests: usage.kmsRequests, usd: k },
  };
}

/** The Textract cost of a document before it is started: pages × the profile's price per page. */
export function estimatedTextractCost(textract: ProfileTextract, pages: number, prices: PriceTable): number {
  return roundUsd(pages * textractPagePrice(textract, prices));
}
