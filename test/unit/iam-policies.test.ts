// The IAM policies in deploy/iam/: well-formed, least privilege, and in step with the code: every AWS
// SDK command a process sends is allowed to its role, on the keys docket really reads and writes.
import fs from 'node:fs';
import path from 'node:path';
import { partKey, resultsPrefix } from '../../lib/extraction';
import { outputLocation } from '../../lib/output-document';
import { repoRoot } from '@docket/local/stack/tools';
import {
  type Statement,
  type Policy,
  iamDir,
  roles,
  type Role,
  policyText,
  policies,
  list,
  read,
  actionsWithoutResources,
  account,
  values,
  otherKey,
  s3,
  allows,
  actionsOf,
} from '../support/iam-policies';

/** What is wrong with a policy: shape, version, wildcards where IAM could scope the right. */
function policyProblems(name: string, policy: Policy): string[] {
  const problems: string[] = [];
  if (policy.Version !== '2012-10-17') problems.push(`${name}: Version ${policy.Version}`);
  const sids = policy.Statement.map((s) => s.Sid);
  if (new Set(sids).size !== sids.length) problems.push(`${name}: repeated Sid`);
  for (const statement of policy.Statement) {
    const where = `${name} ${statement.Sid}`;
    const keys = Object.keys(statement).sort().join(',');
    if (keys !== 'Action,Effect,Resource,Sid') problems.push(`${where}: keys ${keys}`);
    if (!/^[A-Za-z0-9]+$/.test(statement.Sid ?? '')) problems.push(`${where}: Sid must be alphanumeric`);
    if (statement.Effect !== 'Allow') problems.push(`${where}: Effect ${statement.Effect}`);
    const actions = list(statement.Action);
    const resources = list(statement.Resource);
    for (const action of actions.filter((a) => !/^[a-z0-9-]+:[A-Za-z]+$/.test(a))) {
      problems.push(`${where}: action ${action} is not one exact action`);
    }
    const unscoped = actions.some((a) => actionsWithoutResources.includes(a));
    // "*" only alone and only for actions IAM cannot scope; for those, an ARN would match nothing.
    if ((unscoped || resources.includes('*')) && resources.join() !== '*') {
      problems.push(`${where}: resources ${resources.join(' ')} must be "*" alone`);
    }
    if (resources.includes('*')) {
      for (const action of actions.filter((a) => !actionsWithoutResources.includes(a))) {
        problems.push(`${where}: ${action} on "*"`);
      }
    }
    for (const r of resources.filter((r) => r !== '*' && !/^(arn:aws:|\$\{)/.test(r))) {
      problems.push(`${where}: resource ${r} is not an ARN`);
    }
  }
  return problems;
}

it('are valid policies: 2012-10-17, Allow with named statements, no wildcards but where AWS requires one', () => {
  expect(
    fs
      .readdirSync(iamDir)
      .filter((f) => f.endsWith('.json'))
      .sort(),
  ).toEqual(roles.map((r) => `${r}.json`).sort());
  expect(roles.flatMap((role) => policyProblems(`${role}.json`, policies[role]))).toEqual([]);
  const loose: Statement[] = [
    { Sid: 'All', Effect: 'Allow', Action: 's3:*', Resource: '*' },
    {
      Sid: 'Textract',
      Effect: 'Allow',
      Action: 'textract:GetDocumentAnalysis',
      Resource: 'arn:aws:textract:::x',
    },
  ];
  expect(policyProblems('loose', { Version: '2012-10-17', Statement: loose })).toEqual([
    'loose All: action s3:* is not one exact action',
    'loose All: s3:* on "*"',
    'loose Textract: resources arn:aws:textract:::x must be "*" alone',
  ]);
});

it('use only placeholders the README documents, and the README covers every policy', () => {
  const readme = fs.readFileSync(path.join(iamDir, 'README.md'), 'utf8');
  for (const role of roles) {
    expect(readme).toContain(`\`${role}.json\``);
    for (const [, name] of policyText(role).matchAll(/\$\{(\w+)\}/g)) {
      expect(readme).toContain(`\${${name}}`);
      expect(Object.keys(values)).toContain(name);
    }
  }
  expect(readme).toMatch(/Textract[^.]*no resource types/);
});

/** The code each process runs (its AWS calls), relative to the repository. */
const sources: Record<Role, string[]> = {
  worker: ['activities/*.ts', 'workers/*.ts', 'lib/*.ts', 'lib/aws/*.ts'],
  api: [
    'clients/api/*.ts',
    'clients/desk/*.ts',
    'clients/documents.ts',
    'clients/document-source.ts',
    'clients/reprocess.ts',
    'clients/profiles.ts',
    'lib/*.ts',
    'lib/aws/*.ts',
    'lib/pages/*.ts',
  ],
  starter: [
    'clients/s3-event-starter/*.ts',
    'clients/documents.ts',
    'clients/document-source.ts',
    'clients/profiles.ts',
    'lib/*.ts',
    'lib/aws/*.ts',
  ],
  operator: [
    'clients/cli.ts',
    'clients/cli-output.ts',
    'clients/cli-reuse.ts',
    'clients/documents.ts',
    'clients/document-source.ts',
    'clients/reprocess.ts',
    'clients/reroute.ts',
    'lib/*.ts',
    'lib/aws/*.ts',
  ],
};
const expand = (pattern: string) =>
  pattern.endsWith('/*.ts')
    ? fs
        .readdirSync(path.join(repoRoot, path.dirname(pattern)))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${path.dirname(pattern)}/${f}`)
    : [pattern];

/** Commands sent but deliberately not allowed, each with the fact about the code that makes it safe. */
const notSent: { roles: Role[]; file: string; command: string; because: string; premise: () => void }[] = [
  {
    roles: ['worker', 'api', 'starter', 'operator'],
    file: 'lib/aws/kms.ts',
    command: 'EncryptCommand',
    because: 'the Encryption SDK keyring has only a generator key: it calls GenerateDataKey, never Encrypt',
    premise: () =>
      expect(read('lib/aws/kms.ts')).toMatch(/new KmsKeyringNode\(\{\s*generatorKeyId: \w+,\s*keyIds: \[\],/),
  },
  {
    roles: ['api', 'starter'],
    file: 'clients/document-source.ts',
    command: 'PutObjectCommand',
    because: 'only a local file is uploaded; the API accepts s3:// sources only and the starter builds them',
    premise: () => {
      expect(read('clients/api/schemas.ts')).toContain("pattern: '^s3://[^/]+/.+$'");
      expect(read('clients/s3-event-starter/starter.ts')).toContain(
        'source: `s3://${object.bucket}/${object.key}`',
      );
    },
  },
  {
    roles: ['api', 'starter'],
    file: 'lib/aws/s3.ts',
    command: 'PutObjectCommand',
    because:
      'clients use lib/aws/s3.ts only to read (an output with getBytes, a stored record with getJsonIfPresent); putJson is the activities',
    premise: () => {
      const clientFiles = [
        'clients/*.ts',
        'clients/api/*.ts',
        'clients/desk/*.ts',
        'clients/s3-event-starter/*.ts',
      ].flatMap(expand);
      const users = [...clientFiles, 'lib/output-document.ts'].filter((f) =>
        /from '[./]*(lib\/)?aws\/s3'/.test(read(f)),
      );
      expect(users).toEqual(['clients/reprocess.ts', 'clients/reroute.ts', 'lib/output-document.ts']);
      for (const f of ['clients/reprocess.ts', 'clients/reroute.ts']) {
        expect(read(f)).toMatch(/import \{ getJsonIfPresent \} from '\.\.\/lib\/aws\/s3';/);
      }
      expect(read('lib/output-document.ts')).toMatch(/import \{ getBytes \} from '\.\/aws\/s3';/);
    },
  },
  {
    roles: ['starter'],
    file: 'lib/aws/kms.ts',
    command: 'DecryptCommand',
    because: 'the starter only starts workflows: it encodes their input and never decodes a payload',
    premise: () => {
      // Every DocketClient method that reads workflows (queries, updates, results, list, describe) decodes.
      const readers = ['result', 'status', 'list', 'review', 'output', 'cancel'];
      const calls = expand('clients/s3-event-starter/*.ts').flatMap((f) =>
        [...read(f).matchAll(/docket\.(\w+)\(/g)].map((m) => m[1]),
      );
      expect(calls).toContain('start');
      expect(calls.filter((c) => readers.includes(c ?? ''))).toEqual([]);
    },
  },
];

interface SentCommand {
  file: string;
  command: string;
  actions: string[];
}

/** Every `new XCommand(` of an @aws-sdk client in the file, with the IAM actions it needs. */
function sentCommands(file: string): SentCommand[] {
  const text = read(file);
  const service = new Map<string, string>();
  for (const [, names = '', client = ''] of text.matchAll(
    /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g,
  )) {
    for (const name of names.split(',').map((n) => n.trim()))
      if (!name.startsWith('type ')) service.set(name, client);
  }
  const found: SentCommand[] = [];
  for (const match of text.matchAll(/new\s+(\w+)Command\s*\(/g)) {
    const [, operation = ''] = match;
    const client = service.get(`${operation}Command`);
    if (!client) continue; // not an AWS SDK command (commander's Command, for one)
    // The argument, up to its closing parenthesis: a VersionId there needs the …Version action too.
    let depth = 0;
    let end = (match.index ?? 0) + match[0].length - 1;
    do {
      if (text[end] === '(') depth++;
      if (text[end] === ')') depth--;
      end++;
    } while (depth > 0 && end < text.length);
    const argument = text.slice(match.index, end);
    // IAM names: HEAD needs GetObject, and listing a bucket's keys is ListBucket.
    const iamNames: Record<string, string> = { HeadObject: 's3:GetObject', ListObjectsV2: 's3:ListBucket' };
    const action = (client === 's3' ? iamNames[operation] : undefined) ?? `${client}:${operation}`;
    const versioned = action === 's3:GetObject' && argument.includes('VersionId');
    // A Start* with a NotificationChannel hands Textract a role to publish with: iam:PassRole on it.
    const passesRole =
      client === 'textract' && operation.startsWith('Start') && text.includes('NotificationChannel: {');
    found.push({
      file,
      command: `${operation}Command`,
      actions: versioned ? [action, `${action}Version`] : passesRole ? [action, 'iam:PassRole'] : [action],
    });
  }
  // lib-storage's Upload sends PutObject, or CreateMultipartUpload, UploadPart and
  // CompleteMultipartUpload (all s3:PutObject), and AbortMultipartUpload when the upload fails.
  if (
    /import \{[^}]*\bUpload\b[^}]*\} from '@aws-sdk\/lib-storage'/.test(text) &&
    /new Upload\(/.test(text)
  ) {
    found.push({ file, command: 'Upload', actions: ['s3:PutObject', 's3:AbortMultipartUpload'] });
  }
  return found;
}

it.each(roles)(
  "allow every AWS call the %s's code sends, except the documented ones it never does",
  (role) => {
    const sent = sources[role].flatMap(expand).flatMap(sentCommands);
    expect(sent.length).toBeGreaterThan(0);
    const exempt = notSent.filter((n) => n.roles.includes(role));
    for (const n of exempt) {
      // An exemption names a command the code really has, and its reason still holds.
      expect(sent.some((s) => s.file === n.file && s.command === n.command)).toBe(true);
      try {
        n.premise();
      } catch (err) {
        throw new Error(
          `${role}.json leaves out ${n.command} of ${n.file} because ${n.because}: no longer so.\n${String(err)}`,
        );
      }
    }
    const missing = sent
      .filter((s) => !exempt.some((n) => n.file === s.file && n.command === s.command))
      .flatMap((s) =>
        s.actions.filter((a) => !actionsOf(role).includes(a)).map((a) => `${s.file} ${s.command}: ${a}`),
      );
    expect(missing).toEqual([]);
    // Nothing granted that no call needs. s3:ListBucket is no call's: S3 needs it to answer a missing
    // key with 404 instead of 403. Textract's OutputConfig writes are the worker's s3:PutObject.
    const needed = new Set(sent.flatMap((s) => s.actions));
    const granted = actionsOf(role).filter((a) => a !== 's3:ListBucket' && !needed.has(a));
    expect(granted).toEqual([]);
  },
);

it('lets the worker read, claim, collect and write exactly where the activities do', () => {
  const claims = /claimPrefix = '([\w-]+)'/.exec(read('activities/s3.ts'))?.[1];
  const textractOutput = /S3Prefix: `([\w-]+)\//.exec(read('activities/textract.ts'))?.[1];
  expect([claims, textractOutput]).toEqual([expect.any(String), expect.any(String)]);
  const claim = `${claims}/${'ab'.repeat(32)}.json`;
  const part = partKey(resultsPrefix('invoice-7', 'job-1'), 'normalized', 3);
  const output = outputLocation({ bucket: values.OutputBucket ?? '', kmsKeyId: 'alias/docket' }, 'invoice-7');
  const expectations: [string, string, boolean][] = [
    ['s3:GetObject', s3('InputBucket', 'scans/a.pdf'), true],
    ['s3:GetObjectVersion', s3('InputBucket', 'scans/a.pdf'), true],
    ['s3:ListBucket', s3('InputBucket'), true],
    ['s3:PutObject', s3('InputBucket', 'scans/a.pdf'), false],
    ['s3:DeleteObject', s3('InputBucket', 'scans/a.pdf'), false],
    ...(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].map((a) => [
      a,
      s3('ResultsBucket', claim),
      true,
    ]) as [string, string, boolean][]),
    ['s3:ListBucket', s3('ResultsBucket'), true],
    ['s3:GetObject', s3('ResultsBucket', part), true],
    ['s3:PutObject', s3('ResultsBucket', part), true],
    ['s3:DeleteObject', s3('ResultsBucket', part), false],
    ['s3:PutObject', s3('ResultsBucket', `${textractOutput}/0123456789abcdef/job-1/1`), true],
    ['s3:GetObject', s3('ResultsBucket', `${textractOutput}/0123456789abcdef/job-1/1`), false],
    ['s3:PutObject', s3('ResultsBucket', 'elsewhere/x.json'), false],
    ['s3:PutObject', `arn:aws:s3:::${output.bucket}/${output.key}`, true],
    ['s3:AbortMultipartUpload', `arn:aws:s3:::${output.bucket}/${output.key}`, true],
    ['s3:AbortMultipartUpload', s3('ResultsBucket', part), false],
    ['s3:GetObject', `arn:aws:s3:::${output.bucket}/${output.key}`, false],
    ['textract:StartDocumentAnalysis', '*', true],
    ['textract:AnalyzeDocument', '*', false],
    ['kms:GenerateDataKey', values.KmsKeyArn ?? '', true],
    ['kms:Decrypt', otherKey, false],
    ['kms:Encrypt', values.KmsKeyArn ?? '', false],
    ['sqs:ReceiveMessage', values.EventsQueueArn ?? '', false],
    ['sns:Publish', values.EscalationTopicArn ?? '', true],
    ['sns:Publish', `arn:aws:sns:eu-west-1:${account}:someone-elses-topic`, false],
  ];
  const wrong = expectations.filter(([a, r, ok]) => allows('worker', a, r) !== ok);
  expect(wrong).toEqual([]);
});

it('keeps the API, the starter and operators to their own corner', () => {
  const output = outputLocation({ bucket: values.OutputBucket ?? '', kmsKeyId: 'alias/docket' }, 'invoice-7');
  const outputArn = `arn:aws:s3:::${output.bucket}/${output.key}`;
  const upload = /const key = `([\w-]+)\//.exec(read('clients/document-source.ts'))?.[1];
  const expectations: [Role, string, string, boolean][] = [
    ['api', 's3:GetObjectVersion', s3('InputBucket', 'a.pdf'), true],
    ['api', 's3:PutObject', s3('InputBucket', 'a.pdf'), false],
    ['api', 's3:GetObject', outputArn, false],
    [
      'api',
      's3:GetObject',
      s3('ResultsBucket', 'documents/invoice-7/textract/job-1/normalized/00001.json'),
      true,
    ],
    [
      'api',
      's3:PutObject',
      s3('ResultsBucket', 'documents/invoice-7/textract/job-1/normalized/00001.json'),
      false,
    ],
    ['api', 's3:GetObject', s3('ResultsBucket', 'claims/0123456789abcdef.json'), false],
    ['api', 'kms:Decrypt', values.KmsKeyArn ?? '', true],
    ['api', 'textract:StartDocumentAnalysis', '*', false],
    ['starter', 'sqs:ReceiveMessage', values.EventsQueueArn ?? '', true],
    ['starter', 'sqs:DeleteMessage', values.EventsQueueArn ?? '', true],
    ['starter', 'sqs:SendMessage', values.EventsDlqArn ?? '', true],
    ['starter', 'sqs:SendMessage', values.EventsQueueArn ?? '', false],
    ['starter', 'sqs:ReceiveMessage', values.EventsDlqArn ?? '', false],
    ['starter', 's3:GetObjectVersion', s3('InputBucket', 'a.pdf'), true],
    ['starter', 'kms:GenerateDataKey', values.KmsKeyArn ?? '', true],
    ['starter', 'kms:Decrypt', values.KmsKeyArn ?? '', false],
    ['operator', 's3:PutObject', s3('InputBucket', `${upload}/0123456789abcdef/a.pdf`), true],
    ['operator', 's3:PutObject', s3('InputBucket', 'scans/a.pdf'), false],
    ['operator', 's3:GetObject', outputArn, true],
    ['operator', 'kms:Decrypt', values.KmsKeyArn ?? '', true],
  ];
  const wrong = expectations.filter(([role, a, r, ok]) => allows(role, a, r) !== ok);
  expect(wrong).toEqual([]);
});
