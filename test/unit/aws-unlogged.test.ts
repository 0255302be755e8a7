// docket's AWS clients run without the SDK's logger middleware: nothing the SDK sees (document text
// in Textract blocks) is handed to a logger, and no filter walks every response.
import { Readable } from 'node:stream';
import { GetDocumentAnalysisCommand, TextractClient } from '@aws-sdk/client-textract';
import { unlogged } from '../../lib/aws/unlogged';

const page = {
  JobStatus: 'SUCCEEDED',
  Blocks: Array.from({ length: 3 }, (_, i) => ({ BlockType: 'WORD', Id: `w${i}`, Text: `word ${i}` })),
};

/** A Textract client whose every request is answered with `page`, logging to `info`. */
function client(info: jest.Mock): TextractClient {
  return new TextractClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    logger: { debug: () => {}, info, warn: () => {}, error: () => {} },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([Buffer.from(JSON.stringify(page))]),
        },
      }),
    },
  });
}

it('hands the SDK logger the response by default, and nothing once unlogged', async () => {
  const loggedInfo = jest.fn();
  await client(loggedInfo).send(new GetDocumentAnalysisCommand({ JobId: 'j' }));
  expect(JSON.stringify(loggedInfo.mock.calls)).toContain('word 2');

  const info = jest.fn();
  const res = await unlogged(client(info)).send(new GetDocumentAnalysisCommand({ JobId: 'j' }));
  expect(info).not.toHaveBeenCalled();
  expect(res.Blocks?.map((b) => b.Text)).toEqual(['word 0', 'word 1', 'word 2']);
});
