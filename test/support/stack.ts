import path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localAwsConfig } from '@docket/local/stack/resources';
import type { StackEndpoints } from '@docket/local/stack/stack';
import { repoRoot, resolveTools, type ToolPaths } from '@docket/local/stack/tools';

export const stackEnvVar = 'DOCKET_TEST_STACK';
export const toolsEnvVar = 'DOCKET_TEST_TOOLS';

/** Endpoints of the stack jest's globalSetup started for this integration run. */
export function testStack(): StackEndpoints {
  const raw = process.env[stackEnvVar];
  if (!raw) {
    throw new Error(
      `${stackEnvVar} is not set: integration tests run inside the jest 'integration' project, ` +
        `whose globalSetup starts the stack (npm run test:integration)`,
    );
  }
  return JSON.parse(raw) as StackEndpoints;
}

/** Tool paths from globalSetup when there is one, else from the bootstrap script. */
export function testTools(): ToolPaths {
  const raw = process.env[toolsEnvVar];
  return raw ? (JSON.parse(raw) as ToolPaths) : resolveTools();
}

/** Real AWS SDK clients pointed at the test stack's moto. Call destroy() on each when done. */
export function localAwsClients(stack: StackEndpoints = testStack()) {
  const config = localAwsConfig(stack.awsEndpoint);
  return {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    kms: new KMSClient(config),
    sqs: new SQSClient(config),
  };
}

/**
 * A file of the compiled product (dist/, from `npm run build`): integration tests run the processes
 * docket ships as they ship. The integration globalSetup refuses a dist/ older than the sources.
 */
export function compiled(file: string): string {
  return path.join(repoRoot, 'dist', file);
}
