import { costUsd, pricesFor } from '../agent/model-prices.ts';
import { DEFAULT_MODELS } from '../agent/providers.ts';
import type { PromptCacheFigures } from './prompt-cache.ts';
import type { BenchRow } from './table.ts';

/**
 * Published prices, USD, read on 2026-12-01 (sources and what each assumption rests on: docs/benchmarks.md, "Cost
 * per 1,000 messages"). Per million tokens or requests unless named otherwise.
 */
const PRICES = {
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2,
  dynamoWriteUnit: 0.625,
  dynamoReadUnit: 0.125,
  sqsFifoRequest: 0.5,
  agentCoreEventPerThousand: 0.25,
  t4gSmallMonth: 0.0168 * 730 + 8 * 0.08,
} as const;

/** What the bench cannot measure without a real provider, stated as assumptions. */
const ASSUMED = {
  /** Output of one model call at HERMES_REASONING=low: a short answer or a tool call, plus its thinking. */
  outputTokensPerCall: 400,
  /** Wall time of one model call, which the function spends waiting (billed). */
  secondsPerModelCall: 3,
  memoryGb: 1,
  /**
   * Per message: the dedup claim and the turn write, each under 1 KB and about 3 KB; the window read, about 24 KB,
   * strongly consistent (one read unit per 4 KB; an eventually consistent read costs half).
   */
  writeUnits: 1 + 3,
  readUnits: Math.ceil(24 / 4),
  /** SendMessage, ReceiveMessage (the event source mapping) and DeleteMessage. */
  sqsRequests: 3,
};

const perMillion = (count: number, price: number) => (count * price) / 1e6;

export function costRows(figures: PromptCacheFigures, pipelineMsPerMessage: number): BenchRow[] {
  const callsPerMessage = figures.requests.length / figures.messages;
  const cachedPerMessage = figures.cachedTokens / figures.messages;
  const uncachedPerMessage = figures.uncachedTokens / figures.messages;
  const outputPerMessage = callsPerMessage * ASSUMED.outputTokensPerCall;
  const thousand = (perMessage: number) => perMessage * 1000;

  const perMessage = { cachedInputTokens: cachedPerMessage, uncachedInputTokens: uncachedPerMessage, outputTokens: outputPerMessage };
  const deepseek = thousand(costUsd(perMessage, pricesFor(DEFAULT_MODELS.deepseek)!));
  const bedrock = thousand(costUsd(perMessage, pricesFor(DEFAULT_MODELS.bedrock)!));
  const seconds = pipelineMsPerMessage / 1000 + callsPerMessage * ASSUMED.secondsPerModelCall;
  const lambda = thousand(seconds * ASSUMED.memoryGb * PRICES.lambdaArmGbSecond + perMillion(1, PRICES.lambdaRequest));
  const dynamo = thousand(perMillion(ASSUMED.writeUnits, PRICES.dynamoWriteUnit) + perMillion(ASSUMED.readUnits, PRICES.dynamoReadUnit));
  const sqs = thousand(perMillion(ASSUMED.sqsRequests, PRICES.sqsFifoRequest));
  const agentCore = PRICES.agentCoreEventPerThousand;
  const aws = lambda + dynamo + sqs + agentCore;
  const usd = (value: number) => `$${value < 0.1 ? value.toFixed(4) : value.toFixed(2)}`;
  return [
    {
      metric: 'cost per 1,000 messages: AWS',
      value: `${usd(aws)} (Lambda ${usd(lambda)}, DynamoDB ${usd(dynamo)}, SQS ${usd(sqs)}, AgentCore events ${usd(agentCore)}, S3 ~0)`,
      target: '',
      data: { lambda, dynamo, sqs, agentCore, callsPerMessage, secondsPerMessage: seconds },
    },
    {
      metric: 'cost per 1,000 messages: model',
      value: `DeepSeek Flash (peak) ${usd(deepseek)}; Claude Sonnet 5.5 ${usd(bedrock)}; ${callsPerMessage.toFixed(2)} calls a message, ${Math.round(cachedPerMessage)} cached + ${Math.round(uncachedPerMessage)} uncached input tokens`,
      target: '',
      data: { deepseek, bedrock, cachedPerMessage, uncachedPerMessage, outputPerMessage },
    },
    {
      metric: 'one user, 1,000 messages a month',
      value: `${usd(aws + deepseek)} with DeepSeek, ${usd(aws + bedrock)} with Sonnet 5.5; always-on t4g.small ${usd(PRICES.t4gSmallMonth)} + the same tokens; AgentCore reference deployment (~10 users) $220-770`,
      target: '',
    },
  ];
}

/** Peak resident memory of this process, which runs the function's code for every row above. */
export function memoryRow(): BenchRow {
  const peakMb = process.resourceUsage().maxRSS / 1024;
  return {
    metric: 'peak RSS of the function process',
    value: `${peakMb.toFixed(0)} MB over the whole bench (emulators run in a child process); Lambda memory is set to ${ASSUMED.memoryGb * 1024} MB`,
    target: '',
    data: { peakMb },
  };
}
