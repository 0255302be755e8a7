import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';

/** Names of what the local stack creates in moto. */
export interface LocalResourceNames {
  inputBucket: string;
  resultsBucket: string;
  outputBucket: string;
  kmsAlias: string;
  eventsQueue: string;
  eventsDeadLetterQueue: string;
  textractTopic: string;
  /** Subscribed to the Textract topic: the worker's completion listener reads it (DOCKET_TEXTRACT_QUEUE_URL). */
  textractQueue: string;
  /** Where the worker publishes overdue-review notices (DOCKET_ESCALATION_TOPIC_ARN). */
  escalationTopic: string;
}

export const defaultResourceNames: LocalResourceNames = {
  inputBucket: 'docket-input',
  resultsBucket: 'docket-results',
  outputBucket: 'docket-output',
  kmsAlias: 'alias/docket',
  eventsQueue: 'docket-s3-events',
  eventsDeadLetterQueue: 'docket-s3-events-dlq',
  textractTopic: 'docket-textract-events',
  textractQueue: 'docket-textract-completions',
  escalationTopic: 'docket-review-escalations',
};

/** What was created, with the identifiers the rest of docket is configured with. */
export interface LocalResources extends LocalResourceNames {
  kmsKeyArn: string;
  eventsQueueUrl: string;
  eventsQueueArn: string;
  eventsDeadLetterQueueUrl: string;
  textractTopicArn: string;
  textractQueueUrl: string;
  /** The role Textract assumes to publish to the topic (moto does not check it). */
  textractRoleArn: string;
  escalationTopicArn: string;
}

/** moto accepts any credentials; these are placeholders, not secrets. */
export const localCredentials = { accessKeyId: 'docket-local', secretAccessKey: 'docket-local' };
export const localRegion = 'us-east-1';

export function localAwsConfig(endpoint: string) {
  return { endpoint, region: localRegion, credentials: localCredentials };
}

/**
 * Creates the buckets, KMS key + alias, S3-event queue (with its dead-letter queue and the input
 * bucket's notification) and the Textract completion topic. Safe to run again on the same moto.
 */
export async function provisionLocalResources(
  endpoint: string,
  names: LocalResourceNames = defaultResourceNames,
): Promise<LocalResources> {
  const aws = localAwsConfig(endpoint);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const kms = new KMSClient(aws);
  const sqs = new SQSClient(aws);
  const sns = new SNSClient(aws);
  try {
    for (const bucket of [names.inputBucket, names.resultsBucket, names.outputBucket]) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: S3ServiceException) => {
        if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
      });
    }

    const kmsKeyArn = await kms
      .send(new DescribeKeyCommand({ KeyId: names.kmsAlias }))
      .then((res) => res.KeyMetadata?.Arn)
      .catch(async (err: Error) => {
        if (err.name !== 'NotFoundException') throw err;
        const created = await kms.send(new CreateKeyCommand({ Description: 'docket local stack key' }));
        const arn = created.KeyMetadata?.Arn;
        await kms.send(new CreateAliasCommand({ AliasName: names.kmsAlias, TargetKeyId: arn }));
        return arn;
      });
    if (!kmsKeyArn) throw new Error(`KMS did not return an ARN for ${names.kmsAlias}`);

    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: names.eventsDeadLetterQueue }));
    const dlqArn = await queueArn(sqs, dlq.QueueUrl);
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: names.eventsQueue,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '5' }),
        },
      }),
    );
    const eventsQueueArn = await queueArn(sqs, queue.QueueUrl);
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: names.inputBucket,
        NotificationConfiguration: {
          QueueConfigurations: [{ QueueArn: eventsQueueArn, Events: ['s3:ObjectCreated:*'] }],
        },
      }),
    );

    const topic = await sns.send(new CreateTopicCommand({ Name: names.textractTopic }));
    if (!topic.TopicArn) throw new Error(`SNS did not return an ARN for ${names.textractTopic}`);
    const escalations = await sns.send(new CreateTopicCommand({ Name: names.escalationTopic }));
    // Textract's completion messages reach the worker through SQS (moto delivers SNS→SQS in server
    // mode). Subscribing again with the same endpoint returns the same subscription.
    const completions = await sqs.send(new CreateQueueCommand({ QueueName: names.textractQueue }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic.TopicArn,
        Protocol: 'sqs',
        Endpoint: await queueArn(sqs, completions.QueueUrl),
      }),
    );
    const account = topic.TopicArn.split(':')[4] ?? '123456789012';

    return {
      ...names,
      kmsKeyArn,
      eventsQueueUrl: required(queue.QueueUrl, names.eventsQueue),
      eventsQueueArn,
      eventsDeadLetterQueueUrl: required(dlq.QueueUrl, names.eventsDeadLetterQueue),
      textractTopicArn: topic.TopicArn,
      textractQueueUrl: required(completions.QueueUrl, names.textractQueue),
      textractRoleArn: `arn:aws:iam::${account}:role/docket-textract-publish`,
      escalationTopicArn: required(escalations.TopicArn, names.escalationTopic),
    };
  } finally {
    s3.destroy();
    kms.destroy();
    sqs.destroy();
    sns.destroy();
  }
}

async function queueArn(sqs: SQSClient, url: string | undefined): Promise<string> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return required(res.Attributes?.QueueArn, `ARN of ${url}`);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`moto returned no ${what}`);
  return value;
}
