/** The IAM policies in deploy/iam/ as the tests read them, and whether one allows an action on a resource. */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@docket/local/stack/tools';

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  [other: string]: unknown;
}
export interface Policy {
  Version: string;
  Statement: Statement[];
}

export const iamDir = path.join(repoRoot, 'deploy', 'iam');
export const roles = ['worker', 'api', 'starter', 'operator'] as const;
export type Role = (typeof roles)[number];
export const policyText = (role: Role) => fs.readFileSync(path.join(iamDir, `${role}.json`), 'utf8');
export const policies = Object.fromEntries(
  roles.map((r) => [r, JSON.parse(policyText(r)) as Policy]),
) as Record<Role, Policy>;
export const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
export const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');

// Textract's Start and Get actions have no resource types: IAM accepts only "*" for them.
export const actionsWithoutResources = [
  'textract:StartDocumentAnalysis',
  'textract:StartDocumentTextDetection',
  'textract:GetDocumentAnalysis',
  'textract:GetDocumentTextDetection',
];

// Values for the placeholders, as deploy/iam/README.md documents them.
export const account = '111122223333';
export const values: Record<string, string> = {
  InputBucket: 'acme-input',
  ResultsBucket: 'acme-results',
  OutputBucket: 'acme-output',
  KmsKeyArn: `arn:aws:kms:eu-west-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  EventsQueueArn: `arn:aws:sqs:eu-west-1:${account}:acme-events`,
  EventsDlqArn: `arn:aws:sqs:eu-west-1:${account}:acme-events-dlq`,
  EscalationTopicArn: `arn:aws:sns:eu-west-1:${account}:acme-escalations`,
  TextractQueueArn: `arn:aws:sqs:eu-west-1:${account}:acme-textract-completions`,
  TextractRoleArn: `arn:aws:iam::${account}:role/acme-textract-publish`,
};
export const otherKey = `arn:aws:kms:eu-west-1:${account}:key/ffffffff-0000-0000-0000-000000000000`;
export const s3 = (bucket: string, key?: string) =>
  `arn:aws:s3:::${values[bucket]}${key === undefined ? '' : `/${key}`}`;

export function wildcard(pattern: string, flags = ''): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

/** Whether the policy allows action on resource (Allow statements only: the policies hold no Deny). */
export function allows(role: Role, action: string, resource: string): boolean {
  return policies[role].Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) => wildcard(a, 'i').test(action)) &&
      list(s.Resource).some((r) =>
        wildcard(r.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name] ?? `<${name}>`)).test(resource),
      ),
  );
}
export const actionsOf = (role: Role) => policies[role].Statement.flatMap((s) => list(s.Action));
