import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Resolves the SDK's default credential chain (env, profile, SSO, ...) the same way cdk deploy will. */
export async function assertAwsCredentials(): Promise<void> {
  const client = new SecretsManagerClient({ region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' });
  try {
    await client.config.credentials();
  } catch (error) {
    throw new Error(
      `No AWS credentials found (${(error as Error).message}). Run "aws configure" or "aws sso login", or export AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
    );
  } finally {
    client.destroy();
  }
}
