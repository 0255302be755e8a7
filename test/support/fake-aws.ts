// In-memory stand-ins for the S3 and Textract clients, for activity unit tests. They implement only
// `send` for the commands docket's activities use.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Block, TextractClient } from '@aws-sdk/client-textract';

/** An S3 bucket map that counts writes per key. */
export function fakeS3() {
  const objects = new Map<string, string>();
  const writes = new Map<string, number>();
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const { Bucket, Key, Body } = command.input as { Bucket: string; Key: string; Body?: string };
      const id = `${Bucket}/${Key}`;
      switch (command.constructor.name) {
        case 'PutObjectCommand':
          objects.set(id, String(Body));
          writes.set(id, (writes.get(id) ?? 0) + 1);
          return {};
        case 'GetObjectCommand': {
          const body = objects.get(id);
          if (body === undefined) throw Object.assign(new Error('not found'), { name: 'NoSuchKey' });
          return { Body: { transformToString: async () => body } };
        }
        default:
          throw new Error(`fake S3 does not do ${command.constructor.name}`);
      }
    },
  };
  return { client: client as unknown as S3Client, objects, writes };
}

const geometry = {
  BoundingBox: { Width: 0.5, Height: 0.05, Left: 0.1, Top: 0.1 },
  Polygon: [
    { X: 0.1, Y: 0.1 },
    { X: 0.6, Y: 0.1 },
    { X: 0.6, Y: 0.15 },
    { X: 0.1, Y: 0.15 },
  ],
};

/** Blocks of one page: a line per text, plus an answered query when `query` is given. */
export function pageBlocks(
  page: number,
  lines: string[],
  query?: { alias: string; answer: string; confidence: number },
) {
  const blocks: Block[] = [];
  const children: string[] = [];
  lines.forEach((text, i) => {
    const lineId = `p${page}-l${i}`;
    children.push(lineId);
    blocks.push({
      BlockType: 'LINE',
      Id: lineId,
      Page: page,
      Text: text,
      Confidence: 95,
      Geometry: geometry,
      Relationships: [{ Type: 'CHILD', Ids: [`${lineId}-w`] }],
    });
    blocks.push({
      BlockType: 'WORD',
      Id: `${lineId}-w`,
      Page: page,
      Text: text,
      Confidence: 95,
      Geometry: geometry,
    });
  });
  if (query) {
    children.push(`p${page}-q`);
    blocks.push({
      BlockType: 'QUERY',
      Id: `p${page}-q`,
      Page: page,
      Query: { Text: query.alias, Alias: query.alias },
      Relationships: [{ Type: 'ANSWER', Ids: [`p${page}-a`] }],
    });
    blocks.push({
      BlockType: 'QUERY_RESULT',
      Id: `p${page}-a`,
      Page: page,
      Text: query.answer,
      Confidence: query.confidence,
      Geometry: geometry,
    });
  }
  return [
    {
      BlockType: 'PAGE',
      Id: `p${page}`,
      Page: page,
      Geometry: geometry,
      Relationships: [{ Type: 'CHILD', Ids: children }],
    } as Block,
    ...blocks,
  ];
}

type Responder = (input: { JobId: string; MaxResults?: number; NextToken?: string }) => unknown;

/** A Textract client whose Get* answers come from `respond`; records every request. */
export function fakeTextract(respond: Responder) {
  const requests: { command: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      requests.push({ command: command.constructor.name, input: command.input });
      return respond(command.input as { JobId: string });
    },
  };
  return { client: client as unknown as TextractClient, requests };
}
