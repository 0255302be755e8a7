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
