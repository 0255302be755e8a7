// Claims per output identity against moto's conditional writes: race-safe per identity, independent
// across identities of the same bytes, and claims from before identities (claims/<checksum>.json)
// still honoured: a completed one is the original of a DUPLICATE, a held one makes others wait.
import { randomBytes, randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { localActivities, runActivity as run } from '../support/local-activities';

const { stack, s3, running, acts } = localActivities();
const { resultsBucket } = stack.resources;
const hex = () => randomBytes(32).toString('hex');

async function legacyClaim(checksum: string, record: object): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: resultsBucket,
      Key: `claims/${checksum}.json`,
      Body: JSON.stringify(record),
    }),
  );
}

test('documents racing for one output identity: exactly one claims it; another identity of the same bytes claims its own', async () => {
  const checksum = hex();
  const outputId = hex();
  const ids = Array.from({ length: 6 }, () => `race-${randomUUID()}`);
  for (const id of ids) running.add(id); // their workflows run: no claim is stale
  const results = await Promise.all(
    ids.map((documentId) => run(acts.claimDocument, { documentId, checksum, outputId })),
  );
  expect(results.filter((r) => r.outcome === 'CLAIMED')).toHaveLength(1);
  const other = await run(acts.claimDocument, {
    documentId: `other-${randomUUID()}`,
    checksum,
    outputId: hex(),
  });
  expect(other).toEqual({ outcome: 'CLAIMED' });
});

test('a completed identity claim makes the next document with that identity a DUPLICATE of it', async () => {
  const checksum = hex();
  const outputId = hex();
  const output = { bucket: 'out', key: 'documents/first/document.json.encrypted' };
  await run(acts.claimDocument, { documentId: 'first', checksum, outputId });
  await run(acts.completeClaim, { documentId: 'first', checksum, outputId, output });
  await expect(run(acts.claimDocument, { documentId: 'second', checksum, outputId })).resolves.toEqual({
    outcome: 'COMPLETED',
    original: { documentId: 'first', output },
  });
  const stored = await s3.send(
    new GetObjectCommand({ Bucket: resultsBucket, Key: `claims/${checksum}/${outputId}.json` }),
  );
  expect(JSON.parse(await stored.Body!.transformToString())).toMatchObject({ state: 'COMPLETED' });
});

describe('claims made before identities (claims/<checksum>.json)', () => {
  test('a completed one stays the original of a DUPLICATE, whatever the output identity', async () => {
    const checksum = hex();
    const output = { bucket: 'out', key: 'documents/old/document.json.encrypted' };
    await legacyClaim(checksum, { documentId: 'old', state: 'COMPLETED', output });
    await expect(run(acts.claimDocument, { documentId: 'new', checksum, outputId: hex() })).resolves.toEqual({
      outcome: 'COMPLETED',
      original: { documentId: 'old', output },
    });
  });

  test('one held by a running document makes others wait; once its holder is gone the identity claim proceeds', async () => {
    const checksum = hex();
    const outputId = hex();
    const holder = `old-${randomUUID()}`;
    running.add(holder);
    await legacyClaim(checksum, { documentId: holder, state: 'PROCESSING' });
    await expect(run(acts.claimDocument, { documentId: 'new', checksum, outputId })).resolves.toEqual({
      outcome: 'HELD',
      original: { documentId: holder },
    });
    running.delete(holder);
    await expect(run(acts.claimDocument, { documentId: 'new', checksum, outputId })).resolves.toEqual({
      outcome: 'CLAIMED',
    });
  });

  test('an old run (no output identity) still claims and releases by checksum', async () => {
    const checksum = hex();
    await expect(run(acts.claimDocument, { documentId: 'old-run', checksum })).resolves.toEqual({
      outcome: 'CLAIMED',
    });
    running.add('old-run');
    await expect(
      run(acts.claimDocument, { documentId: 'new', checksum, outputId: hex() }),
    ).resolves.toMatchObject({
      outcome: 'HELD',
    });
    await run(acts.releaseClaim, { documentId: 'old-run', checksum });
    await expect(run(acts.claimDocument, { documentId: 'new', checksum, outputId: hex() })).resolves.toEqual({
      outcome: 'CLAIMED',
    });
    running.delete('old-run');
  });
});
