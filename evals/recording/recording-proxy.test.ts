import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonReply, startLocalHttpServer, type LocalHttpServer } from '../../test/stand-ins/local-http-server.ts';
import { upstreamFor } from './provider-upstream.ts';
import { RecordingModelProxy } from './recording-proxy.ts';

/** Plays the real provider: records what reached it and answers with the next queued reply. */
class FakeProvider {
  readonly received: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
  readonly replies: Array<{ status: number; body: unknown }> = [];
  private server: LocalHttpServer | undefined;

  get url(): string {
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await startLocalHttpServer((req) => {
      this.received.push({ path: req.url, headers: req.headers, body: req.body });
      const reply = this.replies.shift() ?? { status: 500, body: { error: 'no reply queued' } };
      return jsonReply(reply.status, reply.body);
    });
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}

const completion = (text: string) => ({ id: 'chatcmpl-real', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] });
const post = (url: string, body: object, path = '/chat/completions') =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-pipeline-dummy' }, body: JSON.stringify(body) });

describe('recording proxy', () => {
  let provider: FakeProvider;
  let proxy: RecordingModelProxy;

  beforeEach(async () => {
    provider = await new FakeProvider().start();
    proxy = await new RecordingModelProxy({ ...upstreamFor('deepseek', { DEEPSEEK_API_KEY: 'sk-real-key' }), baseUrl: provider.url }).start();
  });

  afterEach(async () => {
    await Promise.all([proxy.close(), provider.close()]);
  });

  it('forwards with the real key and records the answer, keeping the old requestContains', async () => {
    provider.replies.push({ status: 200, body: completion('real answer') });
    proxy.beginStep([{ requestContains: ['hello'], response: completion('old answer') }]);
    const answer = await post(proxy.url, { model: 'deepseek-flash', messages: [{ role: 'user', content: 'hello' }] });
    expect(await answer.json()).toEqual(completion('real answer'));
    expect(provider.received[0]).toMatchObject({ path: '/chat/completions', headers: { authorization: 'Bearer sk-real-key' } });
    expect(JSON.parse(provider.received[0]!.body)).toEqual({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hello' }] });
    expect(proxy.endStep()).toEqual({
      requests: [provider.received[0]!.body],
      problems: [],
      answered: [{ requestContains: ['hello'], response: completion('real answer') }],
      providerErrors: [],
    });
  });

  it('records calls beyond the old recording, and flags a request that lost its requestContains', async () => {
    provider.replies.push({ status: 200, body: completion('one') }, { status: 200, body: completion('two') });
    proxy.beginStep([{ requestContains: ['call_00_x'], response: completion('old') }]);
    await post(proxy.url, { messages: [] });
    await post(proxy.url, { messages: [] });
    const report = proxy.endStep();
    expect(report.answered).toEqual([{ requestContains: ['call_00_x'], response: completion('one') }, { response: completion('two') }]);
    expect(report.problems).toEqual(['request 1 lacks ["call_00_x"] (kept in the recording; adjust it)']);
  });

  it('replays an injected fault instead of forwarding it', async () => {
    const fault = { status: 500, response: { error: { message: 'busy' } } };
    proxy.beginStep([fault]);
    const answer = await post(proxy.url, { messages: [] });
    expect(answer.status).toBe(500);
    expect(provider.received).toEqual([]);
    expect(proxy.endStep().answered).toEqual([fault]);
  });

  it('reports a provider error so the scenario is not rewritten with it', async () => {
    provider.replies.push({ status: 401, body: { error: { message: 'Authentication Fails' } } });
    proxy.beginStep([]);
    expect((await post(proxy.url, { messages: [] })).status).toBe(401);
    expect(proxy.endStep().providerErrors).toEqual(['deepseek answered HTTP 401: {"error":{"message":"Authentication Fails"}}']);
  });

  it('refuses paths the provider package never calls', async () => {
    proxy.beginStep([]);
    expect((await post(proxy.url, {}, '/v1/models')).status).toBe(404);
    expect(provider.received).toEqual([]);
    expect(proxy.endStep().problems).toEqual(['unexpected request POST /v1/models']);
  });
});

describe('recording upstreams', () => {
  it('names the missing variable for each provider', () => {
    expect(() => upstreamFor('deepseek', {})).toThrow(/--record needs DEEPSEEK_API_KEY/);
    expect(() => upstreamFor('bedrock', { AWS_ACCESS_KEY_ID: 'AKIA' })).toThrow(/--record needs AWS_BEARER_TOKEN_BEDROCK/);
  });

  it('targets the Converse endpoint of the configured region with the Bedrock API key', () => {
    const upstream = upstreamFor('bedrock', { AWS_BEARER_TOKEN_BEDROCK: 'bedrock-key', AWS_REGION: 'eu-west-1' });
    expect(upstream).toMatchObject({ baseUrl: 'https://bedrock-runtime.eu-west-1.amazonaws.com', authorization: 'Bearer bedrock-key' });
    expect(upstream.accepts('POST', '/model/us.anthropic.claude-sonnet-5-5/converse')).toBe(true);
    expect(upstream.accepts('POST', '/chat/completions')).toBe(false);
  });
});
