import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { OUTPUT_NAMES, STACK_NAME } from '../deployment-contract.ts';

/** Written by `cdk deploy --outputs-file`; resolved from the repository root whatever the working directory. */
export const OUTPUTS_FILE = fileURLToPath(new URL('../../cdk.out/outputs.json', import.meta.url));

export interface HermesOutputs {
  functionUrl: string;
  secretArn: string;
}

/** Picks the Hermes stack's outputs out of the outputs file's `{ "<stack>": { "<output>": "<value>" } }`. */
export function parseStackOutputs(json: unknown): HermesOutputs {
  const stack = isRecord(json) ? json[STACK_NAME] : undefined;
  if (!isRecord(stack)) throw new Error(`The outputs file has no "${STACK_NAME}" stack. Run npm run deploy first.`);
  const output = (name: string): string => {
    const value = stack[name];
    if (typeof value !== 'string' || value === '') throw new Error(`The ${STACK_NAME} stack outputs lack "${name}". Run npm run deploy again.`);
    return value;
  };
  return { functionUrl: output(OUTPUT_NAMES.functionUrl), secretArn: output(OUTPUT_NAMES.secretArn) };
}

export async function readStackOutputs(file: string = OUTPUTS_FILE): Promise<HermesOutputs> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file} does not exist. Run npm run deploy first; it writes the stack outputs there.`);
  }
  return parseStackOutputs(JSON.parse(text));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
