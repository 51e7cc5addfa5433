import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecretValues, regionFromArn, type SecretValues } from './secret-values.ts';

/** Reads and writes the stack's bot secret, always in the region the secret lives in. */
export class BotSecretStore {
  private readonly client: SecretsManagerClient;

  constructor(private readonly secretArn: string) {
    this.client = new SecretsManagerClient({ region: regionFromArn(secretArn) });
  }

  async read(): Promise<SecretValues> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }));
    return parseSecretValues(SecretString);
  }

  async write(secretString: string): Promise<void> {
    await this.client.send(new PutSecretValueCommand({ SecretId: this.secretArn, SecretString: secretString }));
  }
}
