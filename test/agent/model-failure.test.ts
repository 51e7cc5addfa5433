import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { describeModelFailure } from '../../agent/model-failure.ts';

const refusal = (statusCode: number, responseBody: string) =>
  new APICallError({ message: responseBody, url: 'https://api.deepseek.com/chat/completions', requestBodyValues: {}, statusCode, responseBody });

describe('what the user is told when the model does not answer', () => {
  it.each([
    [401, '{"error":{"message":"Authentication Fails, Your api key: ****abcd is invalid","type":"authentication_error"}}', /^the provider refused the API key \(HTTP 401\)$/],
    [402, '{"error":{"message":"Insufficient Balance","type":"unknown_error"}}', /no balance left \(HTTP 402\)$/],
    [400, '{"error":{"message":"Model Not Exist","type":"invalid_request_error"}}', /model name it does not know.*\(HTTP 400\)$/],
    [429, '{"error":{"message":"Rate Limit Reached"}}', /rate limit was reached \(HTTP 429\)$/],
    [503, '{"error":{"message":"Server Overloaded"}}', /^the provider answered HTTP 503$/],
  ])('says what HTTP %i means for the owner, never the provider text', (status, body, expected) => {
    const text = describeModelFailure(refusal(status, body), undefined);
    expect(text).toMatch(expected);
    expect(text).not.toMatch(/abcd|Insufficient|Not Exist|Overloaded/);
  });
});
