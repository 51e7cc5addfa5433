import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { describeModelFailure, failureLasts } from '../../agent/model-failure.ts';

const refusal = (statusCode: number, responseBody: string) =>
  new APICallError({ message: responseBody, url: 'https://api.deepseek.com/chat/completions', requestBodyValues: {}, statusCode, responseBody });

describe('whether trying again can help', () => {
  it.each([
    [400, '{"error":{"message":"Model Not Exist","type":"invalid_request_error"}}', true],
    [401, '{"error":{"message":"Authentication Fails"}}', true],
    [402, '{"error":{"message":"Insufficient Balance"}}', true],
    [422, '{"error":{"message":"Invalid Parameters"}}', true],
    [429, '{"error":{"message":"Rate Limit Reached"}}', false],
    [500, '{"error":{"message":"Server Error"}}', false],
    [503, '{"error":{"message":"Server Overloaded"}}', false],
  ])('HTTP %i: lasting %s', (status, body, lasting) => {
    expect(failureLasts(refusal(status, body))).toBe(lasting);
  });
});

describe('what the user is told when the model does not answer', () => {
  it.each([
    [401, '{"error":{"message":"Authentication Fails, Your api key: ****abcd is invalid","type":"authentication_error"}}', /^the provider refused the API key; check DEEPSEEK_API_KEY \(HTTP 401\)$/],
    [402, '{"error":{"message":"Insufficient Balance","type":"unknown_error"}}', /no balance left \(HTTP 402\)$/],
    [400, '{"error":{"message":"Model Not Exist","type":"invalid_request_error"}}', /model name it does not know.*\(HTTP 400\)$/],
    [429, '{"error":{"message":"Rate Limit Reached"}}', /rate limit was reached \(HTTP 429\)$/],
    [503, '{"error":{"message":"Server Overloaded"}}', /^the provider answered HTTP 503$/],
  ])('says what HTTP %i means for the owner, never the provider text', (status, body, expected) => {
    const text = describeModelFailure(refusal(status, body), { abortSignal: undefined, provider: 'deepseek' });
    expect(text).toMatch(expected);
    expect(text).not.toMatch(/abcd|Insufficient|Not Exist|Overloaded/);
  });

  it('names what to check on Bedrock when the credentials are refused, never their value', () => {
    const denied = new APICallError({
      message: 'The security token included in the request is invalid.',
      url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-5-5/converse',
      requestBodyValues: {},
      statusCode: 403,
      responseBody: '{"message":"The security token included in the request is invalid."}',
    });
    expect(describeModelFailure(denied, { abortSignal: undefined, provider: 'bedrock' })).toBe(
      'the provider denied access; check AWS_BEARER_TOKEN_BEDROCK, or the AWS credentials when it is not set, and that the account may use the model: one prompt in the Bedrock console playground subscribes it (HTTP 403)',
    );
  });
});
