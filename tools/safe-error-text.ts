/**
 * Error text may quote where it happened: an absolute path under HERMES_HOME, an AWS ARN with the account id and
 * resource names, an S3 URI with the bucket name. The model and the chat get the message without them; the log keeps
 * the original error.
 */
const ARN = /\barn:aws[a-z-]*:[^\s"'`),;]*/g;
const S3_URI = /\bs3:\/\/[^\s"'`),;]*/g;
const POSIX_PATH = /(?<![\w.:/~-])\/(?:[\w.@+%-]+\/)*[\w.@+%-]+\/?/g;
const WINDOWS_PATH = /\b[A-Za-z]:\\[^\s"'`]*/g;
/** An AWS endpoint URL names the account and the resource (`https://sqs.us-east-1.amazonaws.com/123456789012/Turns`). */
const AWS_URL = /\bhttps?:\/\/[\w.-]*amazonaws\.com[^\s"'`),;]*/g;
/** A bare endpoint host, as a DNS failure names it (`getaddrinfo ENOTFOUND my-bucket.s3.eu-west-1.amazonaws.com`). */
const AWS_HOST = /(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.amazonaws\.com(?::\d+)?/g;
/**
 * A relative path two folders or more into a hidden folder, as the default HERMES_HOME (`./.hermes`) gives them, or
 * the rest of an absolute path cut at a space (`/home/ada lovelace/.hermes/...`). A shorter one, such as a skill
 * file the model named (`.git/config`, `../evil`), is what the model asked for and stays, so it can see what to fix.
 */
const HIDDEN_PATH = /(?<![\w.:\/@+%~-])(?:~\/|\.{1,2}\/)?(?:[\w@+%-][\w.@+%-]*\/)*\.[\w-]+(?:\/[\w.@+%-]+){2,}/g;

export function safeErrorText(text: string): string {
  return text
    .replace(ARN, '[AWS resource]')
    .replace(S3_URI, '[stored file]')
    .replace(AWS_URL, '[AWS resource]')
    .replace(AWS_HOST, '[AWS resource]')
    .replace(WINDOWS_PATH, '[path]')
    .replace(POSIX_PATH, '[path]')
    .replace(HIDDEN_PATH, '[path]');
}
