import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';

export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:hermes-agent';

/** A Lambda context whose remaining time counts down from `budgetMs`, like the real one. */
export function lambdaContext(budgetMs = 90_000): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'hermes-agent',
    functionVersion: '$LATEST',
    invokedFunctionArn: `${FUNCTION_ARN}:live`,
    memoryLimitInMB: '1024',
    awsRequestId: `req-${started}`,
    logGroupName: '/aws/lambda/hermes-agent',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => budgetMs - (Date.now() - started),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The event shape a Lambda Function URL delivers (payload format 2.0). */
export function functionUrlEvent(options: {
  body?: string;
  secret?: string;
  method?: string;
  path?: string;
  base64?: boolean;
  headers?: Record<string, string>;
}): LambdaFunctionURLEvent {
  const method = options.method ?? 'POST';
  const body = options.body ?? '';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path ?? '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      host: 'abc123.lambda-url.us-east-1.on.aws',
      ...(options.secret !== undefined ? { 'x-telegram-bot-api-secret-token': options.secret } : {}),
      ...options.headers,
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc123',
      http: { method, path: options.path ?? '/', protocol: 'HTTP/1.1', sourceIp: '149.154.167.220', userAgent: 'TelegramBot' },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  };
}
