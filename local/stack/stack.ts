import fs from 'node:fs';
import path from 'node:path';
import { startDevIssuer } from '../auth/dev-issuer';
import { assertPortFree, freePort } from './ports';
import type { ManagedProcess } from './process';
import { startMotoServer } from './moto-server';
import { localCredentials, localRegion, provisionLocalResources, type LocalResources } from './resources';
import { startTemporalDevServer, type SearchAttributeKeyLike } from './temporal-dev-server';
import { defaultTextractPort } from '../textract/config';
import { startLocalTextract } from '../textract/launch';
import { resolveTools, type ToolPaths } from './tools';

/** What the launcher hands a codec server it starts for the Web UI. */
export interface CodecServerContext {
  host: string;
  /** 0: any free port. */
  port: number;
  /** The only origin the server may answer (the Web UI's). */
  allowedOrigin: string;
  awsEndpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The stack's KMS key (alias), the one the product encrypts payloads with. */
  kmsKeyId: string;
  /** The development issuer whose tokens the codec server accepts. */
  auth: StackAuth;
}

/** The development OIDC issuer the stack runs, as docket's processes are configured with it. */
export interface StackAuth {
  /** DOCKET_AUTH_ISSUER */
  issuer: string;
  /** DOCKET_AUTH_AUDIENCE */
  audience: string;
  /** DOCKET_AUTH_CLIENT_ID: the client the browser sign-in uses. */
  clientId: string;
}

/** A running codec server: the address the Web UI calls, and how to stop it. */
export interface CodecServerHandle {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * What the product plugs into the launcher. The toolkit knows nothing of docket's code: the product's
 * search attributes and codec server come from the caller (see demo/stack.ts).
 */
export interface StackPlugins {
  /** Custom search attributes registered on the dev server. @default none */
  searchAttributes?: readonly SearchAttributeKeyLike[];
  /** Starts a codec server for the Web UI once the KMS key exists. @default none (the UI shows encoded payloads) */
  codecServer?: (context: CodecServerContext) => Promise<CodecServerHandle>;
}

export interface StackOptions extends StackPlugins {
  /** Interface every server binds to. @default '127.0.0.1' */
  host: string;
  temporalPort: number;
  temporalUiPort: number;
  motoPort: number;
  /** Port of the local Textract service. @default 9233 */
  textractPort?: number;
  /** Port of the codec server the Web UI decrypts payloads with. @default a free port */
  codecPort?: number;
  /** Port of the development OIDC issuer. @default a free port */
  authPort?: number;
  /** Seconds the development issuer's tokens live. @default 3600 */
  tokenLifetime?: number;
  /** Folder of recorded Textract responses the local Textract serves instead of OCR. @default none: OCR */
  textractFixturesDir?: string;
  /** @default 'default' */
  namespace: string;
  /** Holds the Temporal SQLite file and the servers' logs. */
  dataDir: string;
  /** Binaries to run; resolved with scripts/bootstrap-tools.sh when absent. */
  tools?: ToolPaths;
}

/** Where each part of a running stack answers. Serialisable, so tests and the CLI can share it. */
export interface StackEndpoints {
  temporalAddress: string;
  temporalUiUrl: string;
  namespace: string;
  awsEndpoint: string;
  /** The local Textract service, for the SDK's `endpoint` option or AWS_ENDPOINT_URL_TEXTRACT. */
  textractEndpoint: string;
  /** The codec server (in the launcher's process) the Web UI is configured with, when there is one. */
  codecEndpoint?: string;
  /** The development OIDC issuer (in the launcher's process): sign in and mint tokens there. */
  auth: StackAuth;
  region: string;
  resources: LocalResources;
  dataDir: string;
}

export interface RunningStack extends StackEndpoints {
  processes: ManagedProcess[];
  /** Environment that points docket's processes (worker, clients) at this stack. */
  env(): Record<string, string>;
  /** Stops every process this stack started and waits until they are gone. */
  stop(): Promise<void>;
}

export const envVars = {
  host: 'DOCKET_STACK_HOST',
  temporalPort: 'DOCKET_TEMPORAL_PORT',
  temporalUiPort: 'DOCKET_TEMPORAL_UI_PORT',
  motoPort: 'DOCKET_MOTO_PORT',
  textractPort: 'DOCKET_TEXTRACT_PORT',
  codecPort: 'DOCKET_CODEC_PORT',
  authPort: 'DOCKET_AUTH_PORT',
  tokenLifetime: 'DOCKET_AUTH_TOKEN_LIFETIME',
  namespace: 'TEMPORAL_NAMESPACE',
  dataDir: 'DOCKET_DATA_DIR',
} as const;

/**
 * Starts moto, the Temporal dev server and the local Textract, provisions the AWS resources, and
 * returns the endpoints.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const tools = options.tools ?? resolveTools();
  const { host } = options;
  fs.mkdirSync(options.dataDir, { recursive: true });
  const logDir = path.join(options.dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });

  // Check every port before starting anything, so a clash is reported at once instead of as a hang.
  await assertPortFree(host, options.temporalPort, 'Temporal frontend', envVars.temporalPort);
  await assertPortFree(host, options.temporalUiPort, 'Temporal Web UI', envVars.temporalUiPort);
  await assertPortFree(host, options.motoPort, 'moto server', envVars.motoPort);
  const textractPort = options.textractPort ?? defaultTextractPort;
  await assertPortFree(host, textractPort, 'local Textract', envVars.textractPort);
  if (options.codecPort) await assertPortFree(host, options.codecPort, 'codec server', envVars.codecPort);
  if (options.authPort) await assertPortFree(host, options.authPort, 'development issuer', envVars.authPort);

  const processes: ManagedProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    await Promise.all([...processes.splice(0).map((p) => p.stop()), ...closers.splice(0).map((c) => c())]);
  };
  try {
    // Every docket process checks tokens against it: first, and in this process (it holds the key).
    const issuer = await startDevIssuer({
      host,
      port: options.authPort ?? 0,
      ...(options.tokenLifetime ? { tokenLifetime: options.tokenLifetime } : {}),
    });
    closers.push(() => issuer.close());
    const auth: StackAuth = { issuer: issuer.issuer, audience: issuer.audience, clientId: issuer.clientId };

    // Started one after the other: on 2 cores the dev server starts faster without moto's import storm.
    processes.push(
      await startMotoServer({
        bin: tools.motoServer,
        host,
        port: options.motoPort,
        logFile: path.join(logDir, 'moto.log'),
      }),
    );
    const awsEndpoint = `http://${host}:${options.motoPort}`;
    const resources = await provisionLocalResources(awsEndpoint);

    // The UI shows encrypted payloads decoded only through a codec server. It runs here, in the
    // launcher, on loopback, for this UI's origin only.
    const codec = options.codecServer
      ? await options.codecServer({
          host,
          port: options.codecPort ?? 0,
          allowedOrigin: `http://${host}:${options.temporalUiPort}`,
          awsEndpoint,
          region: localRegion,
          credentials: localCredentials,
          kmsKeyId: resources.kmsAlias,
          auth,
        })
      : undefined;
    if (codec) closers.push(() => codec.close());

    processes.push(
      await startTemporalDevServer({
        bin: tools.temporal,
        host,
        port: options.temporalPort,
        uiPort: options.temporalUiPort,
        namespace: options.namespace,
        dbFile: path.join(options.dataDir, 'temporal.sqlite'),
        logFile: path.join(logDir, 'temporal.log'),
        searchAttributes: options.searchAttributes ?? [],
        ...(codec ? { uiCodecEndpoint: codec.endpoint } : {}),
      }),
    );

    // The local Textract reads documents from moto and writes OutputConfig results there: after moto.
    const textract = await startLocalTextract({
      host,
      port: textractPort,
      awsEndpoint,
      ...(options.textractFixturesDir ? { fixturesDir: options.textractFixturesDir } : {}),
      logFile: path.join(logDir, 'textract.log'),
    });
    processes.push(textract.process);

    const endpoints: StackEndpoints = {
      temporalAddress: `${host}:${options.temporalPort}`,
      temporalUiUrl: `http://${host}:${options.temporalUiPort}`,
      namespace: options.namespace,
      awsEndpoint,
      textractEndpoint: textract.endpoint,
      ...(codec ? { codecEndpoint: codec.endpoint } : {}),
      auth,
      region: localRegion,
      resources,
      dataDir: options.dataDir,
    };
    return { ...endpoints, processes, env: () => stackEnv(endpoints), stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A stack of its own on free ports (tests, benchmarks), so it never clashes with `npm run stack`. */
export async function startStackOnFreePorts(
  options: StackPlugins & { dataDir: string; tools?: ToolPaths; host?: string; textractFixturesDir?: string },
): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  return startStack({
    ...options,
    host,
    temporalPort: await freePort(host),
    temporalUiPort: await freePort(host),
    motoPort: await freePort(host),
    textractPort: await freePort(host),
    namespace: 'default',
  });
}

/** The environment variables docket's processes read, pointing at a local stack. */
export function stackEnv(endpoints: StackEndpoints): Record<string, string> {
  const r = endpoints.resources;
  return {
    TEMPORAL_ADDRESS: endpoints.temporalAddress,
    TEMPORAL_NAMESPACE: endpoints.namespace,
    AWS_REGION: endpoints.region,
    AWS_ENDPOINT_URL: endpoints.awsEndpoint,
    AWS_ENDPOINT_URL_TEXTRACT: endpoints.textractEndpoint,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    DOCKET_INPUT_BUCKET: r.inputBucket,
    DOCKET_RESULTS_BUCKET: r.resultsBucket,
    DOCKET_OUTPUT_BUCKET: r.outputBucket,
    DOCKET_KMS_KEY_ID: r.kmsAlias,
    DOCKET_S3_FORCE_PATH_STYLE: 'true',
    DOCKET_EVENTS_QUEUE_URL: r.eventsQueueUrl,
    DOCKET_EVENTS_DLQ_URL: r.eventsDeadLetterQueueUrl,
    DOCKET_TEXTRACT_TOPIC_ARN: r.textractTopicArn,
    DOCKET_TEXTRACT_ROLE_ARN: r.textractRoleArn,
    DOCKET_TEXTRACT_QUEUE_URL: r.textractQueueUrl,
    DOCKET_ESCALATION_TOPIC_ARN: r.escalationTopicArn,
    DOCKET_AUTH_ISSUER: endpoints.auth.issuer,
    DOCKET_AUTH_AUDIENCE: endpoints.auth.audience,
    DOCKET_AUTH_CLIENT_ID: endpoints.auth.clientId,
  };
}
