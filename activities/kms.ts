// Envelope encryption of docket's output documents with the AWS Encryption SDK and a KMS keyring.
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type DecryptCommandInput,
  type EncryptCommandInput,
  type GenerateDataKeyCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import {
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
  type KmsNodeClientSupplier,
} from '@aws-crypto/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { classified } from './errors';

/** Encryption context of an output document: binds the ciphertext to the document it belongs to. */
export interface OutputEncryptionContext extends Record<string, string> {
  documentId: string;
  checksum: string;
}

const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/** Encrypts and decrypts JSON with the Encryption SDK; key aliases are resolved to ARNs once. */
export class DocumentCrypto {
  private readonly arns = new Map<string, Promise<string>>();

  /**
   * The ESDK asks for a client per region and calls it in the aggregated-client style; docket hands it
   * its one configured KMSClient (endpoint, credentials) behind that interface.
   */
  private readonly clientProvider: KmsNodeClientSupplier;

  constructor(private readonly kms: KMSClient) {
    const client = {
      generateDataKey: (args: GenerateDataKeyCommandInput) => kms.send(new GenerateDataKeyCommand(args)),
      encrypt: (args: EncryptCommandInput) => kms.send(new EncryptCommand(args)),
      decrypt: (args: DecryptCommandInput) => kms.send(new DecryptCommand(args)),
    };
    this.clientProvider = () => client;
  }

  /** The keyring matches encrypted data keys by ARN, so aliases and bare ids are resolved first. */
  private keyArn(kmsKeyId: string): Promise<string> {
    let arn = this.arns.get(kmsKeyId);
    if (!arn) {
      arn = classified(`resolving KMS key ${kmsKeyId}`, async () => {
        const res = await this.kms.send(new DescribeKeyCommand({ KeyId: kmsKeyId }));
        if (!res.KeyMetadata?.Arn) throw new Error(`KMS returned no ARN for ${kmsKeyId}`);
        return res.KeyMetadata.Arn;
      });
      arn.catch(() => this.arns.delete(kmsKeyId));
      this.arns.set(kmsKeyId, arn);
    }
    return arn;
  }

  private async keyring(kmsKeyId: string): Promise<KmsKeyringNode> {
    const arn = await this.keyArn(kmsKeyId);
    return new KmsKeyringNode({ generatorKeyId: arn, keyIds: [], clientProvider: this.clientProvider });
  }

  async encryptJson(kmsKeyId: string, context: OutputEncryptionContext, value: unknown): Promise<Uint8Array> {
    const keyring = await this.keyring(kmsKeyId);
    const { result } = await classified('encrypting output document', () =>
      esdk.encrypt(keyring, JSON.stringify(value), { encryptionContext: context }),
    );
    return result;
  }

  /** Decrypts and checks that the encryption context names the expected document. */
  async decryptJson<T>(
    kmsKeyId: string,
    ciphertext: Uint8Array,
    expected: Partial<OutputEncryptionContext>,
  ): Promise<T> {
    const keyring = await this.keyring(kmsKeyId);
    const { plaintext, messageHeader } = await classified('decrypting output document', () =>
      esdk.decrypt(keyring, ciphertext),
    );
    for (const [name, value] of Object.entries(expected)) {
      if (value !== undefined && messageHeader.encryptionContext[name] !== value) {
        throw ApplicationFailure.create({
          type: 'EncryptionContextMismatch',
          nonRetryable: true,
          message: `output document's encryption context ${name} does not match the document asked for`,
        });
      }
    }
    return JSON.parse(plaintext.toString('utf8')) as T;
  }
}
