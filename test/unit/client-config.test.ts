// One configuration schema per process, composed from the parts in lib/config.ts and parsed once.
import { z } from 'zod';
import { apiEnvSchema, loadApiConfig } from '../../clients/api/config';
import { codecEnvSchema, loadCodecServerConfig } from '../../clients/codec-server';
import { clientEnvSchema, loadClientConfig } from '../../clients/config';
import { loadStarterConfig, starterEnvSchema } from '../../clients/s3-event-starter/config';
import { ConfigError, logLevelEnvPart, parseEnv, taskQueueEnvPart } from '../../lib/config';
import { documentTaskQueue } from '../../lib/contract';
import { workerEnvSchema } from '../../workers/config';

const clientEnv = { DOCKET_KMS_KEY_ID: 'alias/docket', DOCKET_OUTPUT_BUCKET: 'docket-output' };
const starterEnv = {
  ...clientEnv,
  DOCKET_INPUT_BUCKET: 'docket-input',
  DOCKET_EVENTS_QUEUE_URL: 'http://sqs.local/123/events',
  DOCKET_EVENTS_DLQ_URL: 'http://sqs.local/123/events-dlq',
};

afterEach(() => jest.restoreAllMocks());

/** The variables of every schema a docket process parses its environment with. */
const processShapes: Record<string, Record<string, unknown>> = {
  worker: workerEnvSchema.shape,
  client: clientEnvSchema.shape,
  api: apiEnvSchema.shape,
  starter: starterEnvSchema.shape,
  codec: codecEnvSchema.shape,
};

describe('each variable is defined once, in lib/config.ts', () => {
  test('DOCKET_TASK_QUEUE: every process that starts or runs documents uses the one definition', () => {
    const users = Object.entries(processShapes).filter(([, shape]) => 'DOCKET_TASK_QUEUE' in shape);
    expect(users.map(([name]) => name)).toEqual(['worker', 'client', 'api', 'starter']);
    for (const [name, shape] of users) {
      expect({
        name,
        same: shape.DOCKET_TASK_QUEUE === taskQueueEnvPart.shape.DOCKET_TASK_QUEUE,
      }).toEqual({
        name,
        same: true,
      });
    }
  });

  test('DOCKET_LOG_LEVEL: every long-running process that logs uses the one definition', () => {
    const users = Object.entries(processShapes).filter(([, shape]) => 'DOCKET_LOG_LEVEL' in shape);
    expect(users.map(([name]) => name)).toEqual(['worker', 'api', 'starter']);
    for (const [name, shape] of users) {
      expect({
        name,
        same: shape.DOCKET_LOG_LEVEL === logLevelEnvPart.shape.DOCKET_LOG_LEVEL,
      }).toEqual({
        name,
        same: true,
      });
    }
  });

  test('the API and the starter read every client variable, with the client definitions', () => {
    for (const schema of [apiEnvSchema, starterEnvSchema]) {
      for (const [key, rule] of Object.entries(clientEnvSchema.shape)) {
        expect({ key, same: (schema.shape as Record<string, unknown>)[key] === rule }).toEqual({
          key,
          same: true,
        });
      }
    }
  });
});

describe('one parse per process', () => {
  test('the API config holds the client config from the single parse of its own schema', () => {
    const api = jest.spyOn(apiEnvSchema, 'safeParse');
    const client = jest.spyOn(clientEnvSchema, 'safeParse');
    const config = loadApiConfig({
      ...clientEnv,
      DOCKET_TASK_QUEUE: 'api-queue',
      DOCKET_PROFILES_FILE: '/etc/docket/profiles.json',
      DOCKET_API_PORT: '9090',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      DOCKET_AUTH_ISSUER: 'https://id.example.com',
      DOCKET_AUTH_AUDIENCE: 'docket',
      DOCKET_AUTH_CLIENT_ID: 'docket-web',
    });
    expect(api).toHaveBeenCalledTimes(1);
    expect(client).not.toHaveBeenCalled();
    expect(config).toMatchObject({
      port: 9090,
      host: '127.0.0.1',
      logLevel: 'info',
      client: {
        kmsKeyId: 'alias/docket',
        outputBucket: 'docket-output',
        profilesFile: '/etc/docket/profiles.json',
        taskQueue: 'api-queue',
        temporal: { connection: { address: 'temporal.internal:7233' }, namespace: 'default' },
      },
    });
  });

  test('the starter config likewise', () => {
    const starter = jest.spyOn(starterEnvSchema, 'safeParse');
    const client = jest.spyOn(clientEnvSchema, 'safeParse');
    const config = loadStarterConfig({ ...starterEnv, DOCKET_TASK_QUEUE: 'starter-queue' });
    expect(starter).toHaveBeenCalledTimes(1);
    expect(client).not.toHaveBeenCalled();
    expect(config.client).toMatchObject({ taskQueue: 'starter-queue', inputBucket: 'docket-input' });
    expect(config.buckets).toEqual(['docket-input']);
  });

  test('the CLI and the codec server parse their own schema once', () => {
    const client = jest.spyOn(clientEnvSchema, 'safeParse');
    expect(loadClientConfig(clientEnv).taskQueue).toBe(documentTaskQueue);
    expect(client).toHaveBeenCalledTimes(1);
    const codec = jest.spyOn(codecEnvSchema, 'safeParse');
    expect(
      loadCodecServerConfig({
        DOCKET_KMS_KEY_ID: 'k',
        DOCKET_CODEC_ALLOWED_ORIGIN: 'http://127.0.0.1:8233/ui, https://temporal.example.com',
        DOCKET_AUTH_ISSUER: 'https://id.example.com',
        DOCKET_AUTH_AUDIENCE: 'docket',
      }),
    ).toMatchObject({
      kmsKeyId: 'k',
      host: '127.0.0.1',
      port: 9234,
      allowedOrigins: ['http://127.0.0.1:8233', 'https://temporal.example.com'],
      roles: ['operator'],
      auth: { issuer: 'https://id.example.com', audience: 'docket' },
    });
    expect(codec).toHaveBeenCalledTimes(1);
  });
});

test('every bad variable of a process is named in one ConfigError', () => {
  let error: unknown;
  try {
    loadApiConfig({
      DOCKET_TASK_QUEUE: '',
      DOCKET_LOG_LEVEL: 'loud',
      DOCKET_API_PORT: 'eighty',
      DOCKET_S3_FORCE_PATH_STYLE: 'yes',
    });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  for (const expected of [
    'DOCKET_KMS_KEY_ID is required',
    'DOCKET_OUTPUT_BUCKET is required',
    'DOCKET_TASK_QUEUE is required',
    "DOCKET_LOG_LEVEL='loud' is not valid",
    "DOCKET_API_PORT='eighty' is not valid",
    "DOCKET_S3_FORCE_PATH_STYLE='yes' is not valid",
  ]) {
    expect(message).toContain(expected);
  }
});

test('a secret that is not valid is named but never shown', () => {
  const schema = z.object({ TEMPORAL_API_KEY: z.string().min(40) });
  expect(() => parseEnv(schema, { TEMPORAL_API_KEY: 'hunter2' })).toThrow(
    /TEMPORAL_API_KEY='\[redacted\]' is not valid/,
  );
  expect(() => parseEnv(schema, { TEMPORAL_API_KEY: 'hunter2' })).not.toThrow(/hunter2/);
});
