import { documentTaskQueue } from '../../lib/contract';
import { ConfigError, loadWorkerConfig } from '../../workers/config';

const required = { DOCKET_RESULTS_BUCKET: 'results', DOCKET_KMS_KEY_ID: 'alias/docket' };

it('uses the documented defaults and the TEMPORAL_* connection variables', () => {
  const config = loadWorkerConfig({
    ...required,
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    TEMPORAL_NAMESPACE: 'docs',
  });
  expect(config.temporal.connection.address).toBe('temporal.internal:7233');
  expect(config.temporal.namespace).toBe('docs');
  expect(config.taskQueue).toBe(documentTaskQueue);
  expect(config.pollMaxIntervalMs).toBe(30_000);
  expect(config.s3ForcePathStyle).toBe(false);
  expect(config.metricsAddress).toBe('127.0.0.1:9464');
});

it('names every missing or malformed variable at once', () => {
  let error: unknown;
  try {
    loadWorkerConfig({ DOCKET_MAX_CONCURRENT_ACTIVITIES: 'lots', DOCKET_LOG_LEVEL: 'loud' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toContain('DOCKET_RESULTS_BUCKET is required');
  expect(message).toContain('DOCKET_KMS_KEY_ID is required');
  expect(message).toContain("DOCKET_MAX_CONCURRENT_ACTIVITIES='lots' is not valid");
  expect(message).toContain("DOCKET_LOG_LEVEL='loud' is not valid");
});

describe('completion by notification', () => {
  const topic = 'arn:aws:sns:eu-west-1:123456789012:textract-completions';
  const role = 'arn:aws:iam::123456789012:role/textract-publish';

  it('is off without a topic: polling only, no listener', () => {
    const config = loadWorkerConfig(required);
    expect(config.notifications).toBeUndefined();
    expect(config.notificationQueueUrl).toBeUndefined();
  });

  it('with topic and role starts jobs with that channel and checks on the documented schedule', () => {
    const config = loadWorkerConfig({
      ...required,
      DOCKET_TEXTRACT_TOPIC_ARN: topic,
      DOCKET_TEXTRACT_ROLE_ARN: role,
      DOCKET_TEXTRACT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/completions',
    });
    expect(config.notifications).toEqual({
      channel: { snsTopicArn: topic, roleArn: role },
      checks: { firstCheckMs: 120_000, checkIntervalMs: 300_000 },
    });
    expect(config.notificationQueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/completions');
  });

  it('refuses a topic without its role, and malformed ARNs, naming the variables', () => {
    expect(() => loadWorkerConfig({ ...required, DOCKET_TEXTRACT_TOPIC_ARN: topic })).toThrow(
      /DOCKET_TEXTRACT_TOPIC_ARN and DOCKET_TEXTRACT_ROLE_ARN go together.*role missing/,
    );
    expect(() =>
      loadWorkerConfig({
        ...required,
        DOCKET_TEXTRACT_TOPIC_ARN: 'completions',
        DOCKET_TEXTRACT_ROLE_ARN: 'publisher',
      }),
    ).toThrow(/DOCKET_TEXTRACT_TOPIC_ARN='completions'[\s\S]*DOCKET_TEXTRACT_ROLE_ARN='publisher'/);
  });
});

it('takes port 0 for the metrics endpoint (several workers on one host) and refuses an address without a port', () => {
  expect(loadWorkerConfig({ ...required, DOCKET_METRICS_ADDRESS: '127.0.0.1:0' }).metricsAddress).toBe(
    '127.0.0.1:0',
  );
  expect(loadWorkerConfig({ ...required, DOCKET_METRICS_ADDRESS: '' }).metricsAddress).toBeUndefined();
  expect(() => loadWorkerConfig({ ...required, DOCKET_METRICS_ADDRESS: 'localhost' })).toThrow(
    /DOCKET_METRICS_ADDRESS='localhost' is not valid/,
  );
});

it('prices with the defaults unless DOCKET_PRICES_FILE or DOCKET_PRICES override them', () => {
  expect(loadWorkerConfig(required).prices.textract.analyzeDocument.FORMS).toBe(0.05);
  const config = loadWorkerConfig({ ...required, DOCKET_PRICES: '{"temporalAction":0.000025}' });
  expect(config.prices.temporalAction).toBe(0.000025);
  expect(config.prices.textract.detectDocumentText).toBe(0.0015);
});
