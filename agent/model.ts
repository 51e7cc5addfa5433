import type { LanguageModel } from 'ai';
import type { Config } from './config.ts';
import { errorMessage, HermesError } from '../tools/errors.ts';

/** Imports only the provider package in use, so the other one costs nothing at cold start. */
export async function createModel(config: Config): Promise<LanguageModel> {
  if (config.provider === 'bedrock') {
    const [{ createAmazonBedrock }, credentialProvider] = await Promise.all([import('@ai-sdk/amazon-bedrock'), awsCredentials(config)]);
    const bedrock = createAmazonBedrock({
      region: config.bedrock.region,
      ...(config.bedrock.baseURL ? { baseURL: config.bedrock.baseURL } : {}),
      ...(config.bedrock.apiKey ? { apiKey: config.bedrock.apiKey } : {}),
      ...(credentialProvider ? { credentialProvider } : {}),
    });
    return bedrock(config.model);
  }
  const { createDeepSeek } = await import('@ai-sdk/deepseek');
  const deepseek = createDeepSeek({
    ...(config.deepseek.apiKey ? { apiKey: config.deepseek.apiKey } : {}),
    ...(config.deepseek.baseURL ? { baseURL: config.deepseek.baseURL } : {}),
  });
  return deepseek(config.model);
}

/**
 * `npm start` with Bedrock checks for credentials before the first message, as it does for a DeepSeek key: without
 * any, every message would fail with nothing to say why.
 */
export async function assertBedrockCredentials(config: Config): Promise<void> {
  const provide = await awsCredentials(config);
  if (!provide) return;
  try {
    await provide();
  } catch (error) {
    throw new HermesError(
      `HERMES_PROVIDER=bedrock needs AWS credentials, and none were found (${errorMessage(error)}). Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK.`,
      { cause: error },
    );
  }
}

/**
 * The AWS SDK's own credential chain (environment, profiles and SSO, container and instance roles), so a machine
 * set up for the AWS CLI works as it is; the provider package alone reads only the access key variables. None is
 * needed with a Bedrock API key.
 */
async function awsCredentials(config: Config) {
  if (config.bedrock.apiKey) return undefined;
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}
