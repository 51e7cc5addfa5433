import { fork, type ChildProcess } from 'node:child_process';

export interface EmulatorEndpoints {
  /** Every request the emulators receive is counted; compare counts taken around what is measured. */
  dynamo: { endpoint: string; table: string };
  s3: { endpoint: string; bucket: string };
  botApiRoot: string;
  /** The turn queue (a local SQS FIFO fake). */
  sqs: { endpoint: string; queueUrl: string };
}

export interface EmulatorCounts {
  dynamo: Record<string, number>;
  s3: Record<string, number>;
  /** sendMessage calls per chat id. */
  repliesByChat: Record<string, number>;
  /** Messages waiting in the turn queue. */
  queued: number;
}

export type EmulatorRequest = { id: number; type: 'counts' | 'reset' | 'close' };

export interface Emulators extends EmulatorEndpoints {
  counts(): Promise<EmulatorCounts>;
  resetCounts(): Promise<void>;
  close(): Promise<void>;
}

/** dynalite and s3rver (each counting the requests it receives) and the fake Bot API, in a child process of their own. */
export async function startEmulators(): Promise<Emulators> {
  const child = fork(new URL('./emulators-process.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx', '--no-warnings'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (result: unknown) => void>();
  child.on('message', (message: { id: number; result: unknown }) => {
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  let nextId = 1;
  const ask = <T>(type: EmulatorRequest['type']): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (result: unknown) => void);
      child.send({ id, type } satisfies EmulatorRequest);
    });
  const endpoints = await new Promise<EmulatorEndpoints>((resolve, reject) => {
    pending.set(0, resolve as (result: unknown) => void);
    child.once('exit', (code) => reject(new Error(`the emulator process exited early (code ${code})`)));
  });
  return {
    ...endpoints,
    counts: () => ask<EmulatorCounts>('counts'),
    resetCounts: () => ask<void>('reset'),
    close: () => closeChild(child, () => ask<void>('close')),
  };
}

async function closeChild(child: ChildProcess, askToClose: () => Promise<void>): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await askToClose();
  await exited;
}
