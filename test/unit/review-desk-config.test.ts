// The review desk's pure parts: audit sampling from the checksum, the review statistics, and the
// profile and worker settings that configure claims, SLAs, critical fields and escalation.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfiles } from '../../clients/profiles';
import { aggregateReviewStats, formatReviewStats } from '../../clients/review-stats';
import { checksumFraction, sampledForAudit } from '../../lib/confidence-routing';
import { ConfigError } from '../../lib/config';
import { type DocumentProfile, statsFieldName } from '../../lib/profile';
import { validateDocumentInput } from '../../lib/validation';
import { loadWorkerConfig } from '../../workers/config';
import { documentInput, invoiceProfile } from '../support/document-fixtures';

const checksums = Array.from({ length: 200 }, (_, i) =>
  createHash('sha256').update(`clean document ${i}`).digest('hex'),
);

describe('audit sampling', () => {
  test('over 200 checksums at rate 0.1 the same documents are sampled every time, about 10 %', () => {
    const pick = () => checksums.filter((c) => sampledForAudit(c, 0.1));
    const first = pick();
    expect(pick()).toEqual(first);
    // A fresh copy of the strings (another run) picks the same ones.
    expect(checksums.map((c) => `${c}`).filter((c) => sampledForAudit(c, 0.1))).toEqual(first);
    expect(first.length).toBeGreaterThanOrEqual(10);
    expect(first.length).toBeLessThanOrEqual(30);
    console.log(`sampled ${first.length} of 200 clean documents at rate 0.1`);
  });

  test("rate 0 (the default) never samples, rate 1 always does, and a higher rate keeps the lower one's picks", () => {
    expect(checksums.some((c) => sampledForAudit(c, 0))).toBe(false);
    expect(checksums.some((c) => sampledForAudit(c, undefined))).toBe(false);
    expect(checksums.every((c) => sampledForAudit(c, 1))).toBe(true);
    const tenth = checksums.filter((c) => sampledForAudit(c, 0.1));
    const fifth = new Set(checksums.filter((c) => sampledForAudit(c, 0.2)));
    expect(tenth.every((c) => fifth.has(c))).toBe(true);
  });

  test('the fraction is the first 8 hex digits', () => {
    expect(checksumFraction(`80000000${'0'.repeat(56)}`)).toBe(0.5);
    expect(checksumFraction(`00000000${'f'.repeat(56)}`)).toBe(0);
    expect(checksumFraction('not hex')).toBe(1);
  });
});

describe('review statistics', () => {
  test('per profile: reviewed, sampled, sampled with corrections, and corrections per field', () => {
    const stats = aggregateReviewStats(
      [
        { profile: 'invoice', sampled: true, correctedFields: ['total'], reviewers: 1 },
        { profile: 'invoice', sampled: true, correctedFields: [], reviewers: 1 },
        { profile: 'invoice', sampled: false, correctedFields: ['other', 'total'], reviewers: 2 },
        { profile: 'forms', sampled: false, correctedFields: [], reviewers: 1 },
      ],
      1,
    );
    expect(stats.documents).toBe(4);
    expect(stats.profiles).toEqual([
      {
        profile: 'forms',
        reviewed: 1,
        sampled: 0,
        sampledCorrected: 0,
        corrected: 0,
        correctionsByField: {},
      },
      {
        profile: 'invoice',
        reviewed: 3,
        sampled: 2,
        sampledCorrected: 1,
        corrected: 2,
        correctionsByField: { total: 2, other: 1 },
      },
    ]);
    const text = formatReviewStats(stats);
    expect(text).toContain('sampled, corrected  1 (50.0 %)');
    expect(text).toMatch(/total\s+2/);
    expect(text).toContain('1 closed document(s) without a review summary skipped');
    expect(formatReviewStats(aggregateReviewStats([]))).toBe('no reviewed documents');
  });

  test('a field counts under its name only when the profile names it', () => {
    const p = { ...invoiceProfile, criticalFields: ['iban'] };
    expect(statsFieldName(p, 'total')).toBe('total'); // fieldThresholds
    expect(statsFieldName(p, 'invoice_number')).toBe('invoice_number'); // query alias, required
    expect(statsFieldName(p, 'iban')).toBe('iban'); // critical
    expect(statsFieldName(p, 'ue Harbor Catering')).toBe('other'); // an OCR'd label
  });
});

describe('profile settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-review-profiles-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (profile: Record<string, unknown>) => {
    const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({ audited: { textract: { api: 'TEXT_DETECTION' }, defaultThreshold: 80, ...profile } }),
    );
    return loadProfiles({ outputBucket: 'out-bucket', kmsKeyId: 'alias/k' }, file);
  };

  test('reviewSla, claimIdle, criticalFields and sampleRate reach the resolved profile', () => {
    const p: DocumentProfile | undefined = load({
      reviewSla: '1 day',
      reviewDeadline: '3 days',
      claimIdle: '15 minutes',
      criticalFields: ['iban'],
      sampleRate: 0.05,
    }).audited;
    expect(p).toMatchObject({
      reviewSla: '1 day',
      claimIdle: '15 minutes',
      criticalFields: ['iban'],
      sampleRate: 0.05,
    });
    if (!p) throw new Error('profile audited not loaded');
    expect(validateDocumentInput(documentInput('d', p))).toEqual([]);
  });

  test('an SLA not shorter than the deadline, or a rate outside 0-1, is refused naming the key', () => {
    expect(() => load({ reviewSla: '7 days' })).toThrow(ConfigError);
    expect(() => load({ reviewSla: '7 days' })).toThrow(
      /profile "audited": reviewSla: must be shorter than reviewDeadline/,
    );
    expect(() => load({ reviewSla: '2 days', reviewDeadline: '1 day' })).toThrow(/reviewSla/);
    expect(() => load({ sampleRate: 1.5 })).toThrow(/sampleRate/);
    expect(() => load({ claimIdle: 'soon' })).toThrow(/claimIdle/);
  });

  test('the workflow input check refuses the same mistakes', () => {
    const bad: DocumentProfile = {
      ...invoiceProfile,
      reviewDeadline: '1 day',
      reviewSla: '2 days',
      sampleRate: -1,
      criticalFields: [''],
    };
    expect(validateDocumentInput(documentInput('d', bad))).toEqual([
      'profile.reviewSla must be shorter than profile.reviewDeadline',
      'profile.criticalFields must be a list of field names',
      'profile.sampleRate must be a number 0-1',
    ]);
  });
});

describe('worker escalation settings', () => {
  const required = { DOCKET_RESULTS_BUCKET: 'results', DOCKET_KMS_KEY_ID: 'alias/docket' };

  test('none by default; topic, webhook and secret when set', () => {
    expect(loadWorkerConfig(required).escalation).toEqual({});
    const config = loadWorkerConfig({
      ...required,
      DOCKET_ESCALATION_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:escalations',
      DOCKET_ESCALATION_WEBHOOK_URL: 'https://hooks.example/docket',
      DOCKET_ESCALATION_WEBHOOK_SECRET: 'hush',
    });
    expect(config.escalation).toEqual({
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:escalations',
      webhookUrl: 'https://hooks.example/docket',
      webhookSecret: 'hush',
    });
  });

  test('a malformed topic ARN or URL is named', () => {
    expect(() =>
      loadWorkerConfig({
        ...required,
        DOCKET_ESCALATION_TOPIC_ARN: 'escalations',
        DOCKET_ESCALATION_WEBHOOK_URL: 'nope',
      }),
    ).toThrow(/DOCKET_ESCALATION_TOPIC_ARN[\s\S]*DOCKET_ESCALATION_WEBHOOK_URL/);
  });
});
