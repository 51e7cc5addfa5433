/**
 * Error text may quote where it happened: an absolute path under HERMES_HOME, an AWS ARN with the account id and
 * resource names, an S3 URI with the bucket name. The model and the chat get the message without them; the log keeps
 * the original error.
 */
const ARN = /\barn:aws[a-z-]*:[^\s"'`),;]*/g;
const S3_URI = /\bs3:\/\/[^\s"'`),;]*/g;
const POSIX_PATH = /(?<![\w.:/~-])\/(?:[\w.@+-]+\/)*[\w.@+-]+\/?/g;
const WINDOWS_PATH = /\b[A-Za-z]:\\[^\s"'`]*/g;

export function safeErrorText(text: string): string {
  return text.replace(ARN, '[AWS resource]').replace(S3_URI, '[stored file]').replace(WINDOWS_PATH, '[path]').replace(POSIX_PATH, '[path]');
}
