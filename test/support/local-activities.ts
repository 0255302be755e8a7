/**
 * docket's activities built on real SDK clients pointed at the test stack (moto, the local Textract),
 * run one at a time in a quiet activity environment. No workflows run: `running` is the set of
 * documents whose workflows a test treats as running (for stale-claim takeover).
 */
import { TextractClient } from '@aws-sdk/client-textract';
import { localAwsConfig } from '@docket/local/stack/resources';
import { createActivities } from '../../activities';
import { quietActivityEnvironment } from './quiet-logs';
import { localAwsClients, testStack } from './stack';

/** Builds the activities and their clients; registers an afterAll that destroys the clients. */
export function localActivities() {
  const stack = testStack();
  const { s3, kms, sqs } = localAwsClients(stack);
  const textract = new TextractClient(localAwsConfig(stack.awsEndpoint));
  const running = new Set<string>();
  const acts = createActivities({
    s3,
    kms,
    textract,
    resultsBucket: stack.resources.resultsBucket,
    documentRunning: async (documentId) => running.has(documentId),
  });
  afterAll(() => {
    for (const client of [s3, kms, sqs, textract]) client.destroy();
  });
  return { stack, s3, kms, textract, running, acts };
}

/** Runs one activity function with its argument in a fresh, quiet activity environment. */
export const runActivity = <A, R>(fn: (a: A) => Promise<R>, arg: A): Promise<R> =>
  quietActivityEnvironment().run(fn, arg);
