import type { IncomingHttpHeaders } from 'node:http';

/** DynamoDB names its operation in X-Amz-Target; S3 by method and query, which is enough to tell Hermes' calls apart. */
export function awsOperationOf(method: string, url: string, headers: IncomingHttpHeaders): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').at(-1)!;
  const query = new URL(url, 'http://emulator').searchParams;
  if (method === 'GET' && query.has('list-type')) return 'ListObjectsV2';
  const s3Names: Record<string, string> = { GET: 'GetObject', PUT: 'PutObject', DELETE: 'DeleteObject', HEAD: 'HeadObject' };
  return s3Names[method] ?? `${method} ${url}`;
}
