/** An SNS topic with an SQS queue subscribed, on the test stack's moto. */
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Creates topic and queue `name`, the queue subscribed with raw delivery (it gets the message's own JSON). */
export async function topicWithQueue(
  sns: SNSClient,
  sqs: SQSClient,
  name: string,
): Promise<{ topicArn: string; queueUrl: string }> {
  const topic = await sns.send(new CreateTopicCommand({ Name: name }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return { topicArn: topic.TopicArn!, queueUrl: queue.QueueUrl! };
}
