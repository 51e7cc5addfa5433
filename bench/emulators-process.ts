import { FakeBotApi } from '../test/stand-ins/bot-api-server.ts';
import { startDynalite } from '../test/stand-ins/dynalite.ts';
import { RequestCounter } from '../test/stand-ins/request-counter.ts';
import { startS3rver } from '../test/stand-ins/s3rver.ts';
import type { EmulatorCounts, EmulatorEndpoints, EmulatorRequest } from './emulators.ts';

/**
 * Runs in a child process so that the emulators' own CPU time never lands on the event loop being measured,
 * much as the real DynamoDB, S3 and Telegram run elsewhere. Answers the parent over IPC.
 */
const [dynamo, s3, botApi] = await Promise.all([startDynalite(), startS3rver(), new FakeBotApi().start()]);
const dynamoRequests = new RequestCounter(dynamo.server);
const s3Requests = new RequestCounter(s3.server);

function counts(): EmulatorCounts {
  const repliesByChat: Record<string, number> = {};
  for (const message of botApi.sent()) repliesByChat[message.chat_id] = (repliesByChat[message.chat_id] ?? 0) + 1;
  return { dynamo: dynamoRequests.snapshot(), s3: s3Requests.snapshot(), repliesByChat };
}

async function close(): Promise<void> {
  await botApi.close();
  await Promise.all([dynamo.close(), s3.close()]);
}

process.on('message', (request: EmulatorRequest) => {
  const answer = (result: unknown) => process.send!({ id: request.id, result });
  switch (request.type) {
    case 'counts':
      return answer(counts());
    case 'reset':
      dynamoRequests.reset();
      s3Requests.reset();
      botApi.calls.length = 0;
      return answer(null);
    case 'close':
      // Exit only once the answer is out, so the parent sees both.
      return void close().then(() => process.send!({ id: request.id, result: null }, () => process.exit(0)));
  }
});

const ready: EmulatorEndpoints = {
  dynamo: { endpoint: dynamo.endpoint, table: dynamo.tableName },
  s3: { endpoint: s3.endpoint, bucket: s3.bucket },
  botApiRoot: botApi.apiRoot,
};
process.send!({ id: 0, result: ready });
