import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { functionUrlEvent } from '../stand-ins/lambda-events.ts';
import { badInputs, expand, stringOf, type WebhookCase } from './helpers/bad-inputs.ts';
import { instantModel, type InstantModel } from '../stand-ins/instant-model.ts';
import { SECRETS } from '../stand-ins/lambda-env.ts';
import { userTextOf } from '../stand-ins/stored-turns.ts';
import { messageUpdate } from '../stand-ins/telegram-updates.ts';
import { startWebhookHarness, type WebhookHarness } from './helpers/webhook-harness.ts';

let h: WebhookHarness;
let model: InstantModel;

beforeAll(async () => {
  h = await startWebhookHarness();
  model = instantModel();
  await h.useModel(model.model);
});
afterAll(() => h.close());
beforeEach(() => {
  h.api.calls.length = 0;
  model.userTexts.length = 0;
});

it('the fixture describes this deployment', () => {
  expect(badInputs.webhookSecret).toBe(SECRETS.webhookSecret);
});

function eventFor(testCase: WebhookCase) {
  const body = 'json' in testCase.body ? JSON.stringify(expand(testCase.body.json)) : stringOf(testCase.body.raw);
  const secret = testCase.secret === undefined ? SECRETS.webhookSecret : testCase.secret === null ? undefined : stringOf(testCase.secret);
  const event = functionUrlEvent({
    body,
    base64: testCase.base64 === 'encode',
    ...(secret !== undefined ? { secret } : {}),
    ...(testCase.method ? { method: testCase.method } : {}),
    ...(testCase.path ? { path: testCase.path } : {}),
  });
  if (testCase.base64 === 'raw') event.isBase64Encoded = true;
  return event;
}

describe('webhook requests that must be refused', () => {
  it.each(badInputs.webhook.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const result = await h.send(eventFor(testCase));

    expect(result.statusCode).toBe(testCase.status);
    expect(JSON.parse(result.body)).toEqual({ error: expect.any(String) });
    expect(h.api.calls).toEqual([]);
    expect(model.userTexts).toEqual([]);
  });
});

describe('updates the bot does not answer with the model', () => {
  it.each(badInputs.updates.map((testCase, index) => [testCase.name, testCase, 20_000 + index] as const))(
    '%s',
    async (_name, testCase, updateId) => {
      const result = await h.post({ update_id: updateId, ...testCase.update });

      expect(result.statusCode).toBe(200);
      const replies = h.api.sent().map((message) => message.text);
      expect(replies).toEqual(testCase.replies.map((pattern) => expect.stringMatching(new RegExp(pattern))));
      expect(model.userTexts).toHaveLength(testCase.modelCalls);
    },
  );
});

describe('texts of unusual size and script', () => {
  it.each(badInputs.texts.map((testCase, index) => [testCase.name, testCase, 21_000 + index] as const))(
    '%s',
    async (_name, testCase, updateId) => {
      const text = stringOf(testCase.text);
      const chatId = updateId;
      const result = await h.post(messageUpdate(text, updateId, { chatId }));

      expect(result.statusCode).toBe(200);
      const replies = h.api.sent(chatId).map((message) => message.text);
      expect(replies).toEqual(testCase.replies.map((pattern) => expect.stringMatching(new RegExp(pattern, 's'))));
      expect(model.userTexts).toEqual(testCase.modelCalls === 1 ? [text] : []);
      const stored = (await h.turnsOf(`tg:${chatId}`)).map(userTextOf);
      expect(stored).toEqual(testCase.modelCalls === 1 ? [text] : []);
    },
  );
});
