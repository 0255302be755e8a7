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
