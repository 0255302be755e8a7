/*
 * The compose stack's one-shot `init` service: creates in moto what `npm run stack` creates (the three
 * buckets, the KMS key and its alias, the S3-event queue with its dead-letter queue and the input
 * bucket's notification, the Textract topic). The names come from the same DOCKET_* variables the
 * worker, API and starter read, so docker-compose.yml is the one place they are written. Safe to run
 * again on the same moto.
 *
 *   AWS_ENDPOINT_URL=http://moto:5000 DOCKET_INPUT_BUCKET=… tsx deploy/compose/init-aws.ts
 */
import {
  defaultResourceNames,
  provisionLocalResources,
  type LocalResourceNames,
  type LocalResources,
} from '@docket/local/stack/resources';

/** Every variable this script reads. */
export const initEnvVars = [
  'AWS_ENDPOINT_URL',
  'DOCKET_INPUT_BUCKET',
  'DOCKET_RESULTS_BUCKET',
  'DOCKET_OUTPUT_BUCKET',
  'DOCKET_KMS_KEY_ID',
  'DOCKET_EVENTS_QUEUE_URL',
  'DOCKET_EVENTS_DLQ_URL',
] as const;

type InitEnvVar = (typeof initEnvVars)[number];

/** The resource names the other services are configured with; throws naming every missing or bad variable. */
export function resourceNamesFromEnv(env: NodeJS.ProcessEnv): LocalResourceNames {
  const problems: string[] = [];
  const get = (name: InitEnvVar): string => {
    const value = env[name];
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const queueName = (name: InitEnvVar): string => {
    const url = get(name);
    const last = url.split('/').pop() ?? '';
    if (url && !/^https?:\/\/[^/]+\/\d{12}\/[\w-]{1,80}$/.test(url)) {
      problems.push(`${name}='${url}' is not a queue URL of the form http://host/<account id>/<queue name>`);
    }
    return last;
  };
  get('AWS_ENDPOINT_URL');
  const kmsAlias = get('DOCKET_KMS_KEY_ID');
  if (kmsAlias && !kmsAlias.startsWith('alias/')) {
    problems.push(
      `DOCKET_KMS_KEY_ID='${kmsAlias}' must be an alias (alias/…): a new key's id is not known up front`,
    );
  }
  const names: LocalResourceNames = {
    inputBucket: get('DOCKET_INPUT_BUCKET'),
    resultsBucket: get('DOCKET_RESULTS_BUCKET'),
    outputBucket: get('DOCKET_OUTPUT_BUCKET'),
    kmsAlias,
    eventsQueue: queueName('DOCKET_EVENTS_QUEUE_URL'),
    eventsDeadLetterQueue: queueName('DOCKET_EVENTS_DLQ_URL'),
    textractTopic: defaultResourceNames.textractTopic,
    textractQueue: defaultResourceNames.textractQueue,
    escalationTopic: defaultResourceNames.escalationTopic,
  };
  if (problems.length > 0) throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return names;
}

/** The queue URLs the services were given must be the ones moto answers with (same account, same name). */
function checkQueueUrls(env: NodeJS.ProcessEnv, created: LocalResources): void {
  const pairs: [InitEnvVar, string][] = [
    ['DOCKET_EVENTS_QUEUE_URL', created.eventsQueueUrl],
    ['DOCKET_EVENTS_DLQ_URL', created.eventsDeadLetterQueueUrl],
  ];
  for (const [name, actual] of pairs) {
    const given = env[name] ?? '';
    if (new URL(given).pathname !== new URL(actual).pathname) {
      throw new Error(`${name}='${given}' but moto created ${actual}: fix the path in docker-compose.yml`);
    }
  }
}

async function main(): Promise<void> {
  try {
    const names = resourceNamesFromEnv(process.env);
    const endpoint = process.env.AWS_ENDPOINT_URL ?? '';
    const created = await provisionLocalResources(endpoint, names);
    checkQueueUrls(process.env, created);
    console.log(
      `docket init: ready in ${endpoint}: buckets ${created.inputBucket} (events → ${created.eventsQueue}), ` +
        `${created.resultsBucket}, ${created.outputBucket}; KMS ${created.kmsAlias} → ${created.kmsKeyArn}; ` +
        `dead letters ${created.eventsDeadLetterQueue}; topic ${created.textractTopicArn}`,
    );
  } catch (err) {
    console.error(`docket init: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) void main();
