import type { LanguageModel } from 'ai';
import type { Config } from './config.ts';

/** Imports only the provider package in use, so the other one costs nothing at cold start. */
export async function createModel(config: Config): Promise<LanguageModel> {
  if (config.provider === 'bedrock') {
    const { createAmazonBedrock } = await import('@ai-sdk/amazon-bedrock');
    const bedrock = createAmazonBedrock({
      region: config.bedrock.region,
      ...(config.bedrock.baseURL ? { baseURL: config.bedrock.baseURL } : {}),
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
