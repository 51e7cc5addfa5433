import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { LAMBDA_NODE_OPTIONS } from '../../infra/handler-bundle.ts';
import { lambdaEnv, SECRETS } from './lambda-env.ts';
import { functionUrlEvent } from './lambda-events.ts';

const CONTEXT = "const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hermes', getRemainingTimeInMillis: () => 30000 };";

/** A wrong secret: refused before the agent is loaded, which is what scanners of the public URL cost. */
export const REFUSED_EVENT = functionUrlEvent({ body: '{}', secret: 'wrong' });

/**
 * An authorized update, which builds the whole app (config, clients, provider, bot). It comes from a stranger in a
 * group, which the bot ignores silently, so nothing touches the network.
 */
export const STRANGER_UPDATE_EVENT = functionUrlEvent({
  secret: SECRETS.webhookSecret,
  body: JSON.stringify({
    update_id: 1,
    message: { message_id: 1, date: 1_700_000_000, chat: { id: -100, type: 'supergroup', title: 'g' }, from: { id: 999, is_bot: false, first_name: 'x' }, text: 'hi' },
  }),
});

/** Module source that imports the handler file and prints the milliseconds the import took. */
export function importScript(file: string): string {
  return `const t = process.hrtime.bigint(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
}

/** Module source that imports the handler, sends it one event, checks the status and prints the milliseconds taken. */
export function requestScript(file: string, event: object, expectedStatus: number): string {
  return [
    'const t = process.hrtime.bigint();',
    `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    CONTEXT,
    `const result = await handler(${JSON.stringify(event)}, context);`,
    `if (result.statusCode !== ${expectedStatus}) throw new Error('expected ${expectedStatus}, got ' + result.statusCode);`,
    'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));',
  ].join('\n');
}

/**
 * The deployed variables with unreachable endpoints: the requests above may not touch any of them. The parent's
 * NODE_OPTIONS (a test runner's loaders) are left out; runFreshProcess passes the Lambda's own.
 */
export function deployedEnvWithoutServices(home: string): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const unreachable = 'http://127.0.0.1:9';
  return {
    ...inherited,
    ...lambdaEnv({ dynamoEndpoint: unreachable, table: 'hermes', s3Endpoint: unreachable, bucket: 'hermes-skills', home, botApiRoot: unreachable, modelUrl: unreachable }),
  };
}

export interface ProcessSample {
  /** Spawn to exit: what a cold container pays before it can answer, Node's own start-up included. */
  processMs: number;
  /** Reported by the child: the import (and request) alone. */
  innerMs: number;
}

/** Runs one script in a fresh Node process with the Lambda's Node options, as a cold container would. */
export function runFreshProcess(script: string, env: NodeJS.ProcessEnv): ProcessSample {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [LAMBDA_NODE_OPTIONS, '--no-warnings', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`fresh process failed: ${child.stderr}`);
  return { processMs, innerMs: Number(child.stdout) };
}
