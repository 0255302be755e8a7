/*
 * docket plugged into its local toolkit (@docket/local): the search attributes the workflow upserts,
 * the codec server the Web UI decrypts payloads with, and the real Textract responses the tests
 * use as recorded responses. `npm run stack` runs this file; the demo, the tests and the benchmarks
 * start their stacks with `docketStackPlugins`.
 */
import path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { runStackCli } from '@docket/local/stack/cli';
import type { StackPlugins } from '@docket/local/stack/stack';
import { repoRoot } from '@docket/local/stack/tools';
import { startCodecServer } from '../clients/codec-server';
import { authConfigFrom, authEnvPart } from '../lib/auth/config';
import { createVerifier } from '../lib/auth/verifier';
import { parseEnv } from '../lib/config';
import { KmsPayloadCodec } from '../lib/payload-codec';
import { docketSearchAttributes } from '../lib/contract';

/** Real Textract responses (test/fixtures/corpus), served instead of OCR for documents of the same name. */
export const corpusTextractDir = path.join(repoRoot, 'test', 'fixtures', 'corpus', 'textract');

export const docketStackPlugins: StackPlugins = {
  searchAttributes: docketSearchAttributes,
  codecServer: async ({ host, port, allowedOrigin, awsEndpoint, region, credentials, kmsKeyId, auth }) => {
    const kms = new KMSClient({ endpoint: awsEndpoint, region, credentials });
    // Tokens of the stack's development issuer, read as the codec process reads its settings.
    const authConfig = authConfigFrom(
      parseEnv(authEnvPart, { DOCKET_AUTH_ISSUER: auth.issuer, DOCKET_AUTH_AUDIENCE: auth.audience }),
    );
    const server = await startCodecServer({
      codec: new KmsPayloadCodec({ kms, kmsKeyId }),
      allowedOrigins: [allowedOrigin],
      verifier: createVerifier(authConfig),
      host,
      port,
    });
    return {
      endpoint: server.endpoint,
      close: async () => {
        await server.close();
        kms.destroy();
      },
    };
  },
};

if (require.main === module) {
  void runStackCli(process.argv.slice(2), { ...docketStackPlugins, textractFixturesDir: corpusTextractDir });
}
