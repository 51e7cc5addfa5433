import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Region, credentials and endpoints come from the SDK's standard environment (AWS_REGION,
 * AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), so local emulators need no code path of their own.
 * One client per process: a warm Lambda reuses its connections across invocations.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let s3Client: S3Client | undefined;

export function createDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/** `forcePathStyle` with an emulator's endpoint: it answers on one host, so buckets go in the path, not the host name. */
export function createS3Client(forcePathStyle: boolean): S3Client {
  s3Client ??= new S3Client({ forcePathStyle });
  return s3Client;
}
