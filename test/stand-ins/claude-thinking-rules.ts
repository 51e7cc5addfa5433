import { createHash } from 'node:crypto';
/**
 * Bedrock Converse's thinking rules for the Claude models the project names, as Anthropic documents them (read
 * 2026-12-02; the same rules hold on Amazon Bedrock):
 * - "What's new in Claude Sonnet 5.5": adaptive thinking is on by default; `thinking: {type: "between_tools"}` is
 *   its lowest setting, refused at effort xhigh or max; `{type: "disabled"}` is a 400 pointing to between_tools.
 * - "What's new in Claude Opus 5.5": thinking can't be disabled. Sonnet 5 and Opus 5 think by default and accept
 *   `disabled`; Haiku 5.5 thinks by default and can be turned off. Bedrock's "Adaptive thinking": Fable, Mythos and
 *   Opus 4.7 take adaptive thinking only.
 * - "Prefix checks on thinking blocks": for Fable/Mythos 5.1+ and Opus/Sonnet/Haiku 5.5, a thinking block sent back
 *   fails when `system`, `tools` or anything before it changed since the model wrote it, or when a block between
 *   others was left out or moved. New accounts (created from 2026-08-31) get a 400; the stand-in plays one.
 *   Cache points are not content, so they do not count as a change.
 */
type Json = Record<string, unknown>;

interface ModelThinking {
  accepts: string[];
  /** Thinking runs when the request says nothing about it. */
  onByDefault: boolean;
  preserved: boolean;
}

const MODELS: Array<{ id: RegExp; thinking: ModelThinking }> = [
  { id: /claude-sonnet-5-5/, thinking: { accepts: ['adaptive', 'between_tools'], onByDefault: true, preserved: true } },
  { id: /claude-opus-5-5/, thinking: { accepts: ['adaptive'], onByDefault: true, preserved: true } },
  { id: /claude-haiku-5-5/, thinking: { accepts: ['adaptive', 'disabled'], onByDefault: true, preserved: true } },
  { id: /claude-(sonnet|opus)-5(?![-\d])/, thinking: { accepts: ['adaptive', 'disabled'], onByDefault: true, preserved: false } },
  // Bedrock's "Adaptive thinking" page: Fable, Mythos and Opus 4.7 support adaptive thinking only.
  { id: /claude-(fable|mythos)-5-[1-9]/, thinking: { accepts: ['adaptive'], onByDefault: true, preserved: true } },
  { id: /claude-(fable|mythos)-5(?![-\d])|claude-opus-4-[78]/, thinking: { accepts: ['adaptive'], onByDefault: true, preserved: false } },
];

/** Models not listed think only when asked, the older rule. */
const ASKED_ONLY: ModelThinking = { accepts: ['enabled', 'adaptive', 'disabled'], onByDefault: false, preserved: false };

export interface Refusal {
  message: string;
}

function thinkingOf(modelId: string): ModelThinking {
  return MODELS.find((model) => model.id.test(modelId))?.thinking ?? ASKED_ONLY;
}

/** The settings half of the rules: which thinking types and efforts a model takes. */
export function refusedThinkingSettings(modelId: string, body: Json): Refusal | undefined {
  const fields = (body.additionalModelRequestFields as Json | undefined) ?? {};
  const type = (fields.thinking as Json | undefined)?.type;
  if (type === undefined) return undefined;
  const model = thinkingOf(modelId);
  if (!model.accepts.includes(String(type))) {
    const hint = model.accepts.includes('between_tools') ? ' Use thinking.type "between_tools" for the least thinking.' : '';
    return { message: `thinking.type: "${String(type)}" is not supported on this model.${hint}` };
  }
  const effort = (fields.output_config as Json | undefined)?.effort;
  if (type === 'between_tools' && (effort === 'xhigh' || effort === 'max')) {
    return { message: `thinking.type "between_tools" is not supported at effort "${String(effort)}"; omit thinking or use "adaptive".` };
  }
  return undefined;
}

/** Whether the model thinks on this request, so the reasoning it wrote must come back with tool results. */
export function thinkingOn(modelId: string, body: Json): boolean {
  const type = ((body.additionalModelRequestFields as Json | undefined)?.thinking as Json | undefined)?.type;
  return type === undefined ? thinkingOf(modelId).onByDefault : type !== 'disabled';
}

/** Everything a block was written after, without cache points, as one digest. */
function prefixDigest(body: Json, messages: Json[], blocksBefore: Json[]): string {
  const withoutCachePoints = (blocks: unknown) => (Array.isArray(blocks) ? (blocks as Json[]).filter((block) => !block.cachePoint) : blocks);
  const tools = ((body.toolConfig as Json | undefined)?.tools as unknown) ?? null;
  const prefix = {
    system: withoutCachePoints(body.system) ?? null,
    tools: withoutCachePoints(tools),
    messages: messages.map((message) => ({ role: message.role, content: withoutCachePoints(message.content) })),
    blocksBefore: withoutCachePoints(blocksBefore),
  };
  return createHash('sha256').update(canonicalJson(prefix)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Json)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function signatureOf(block: Json): string | undefined {
  const signature = ((block.reasoningContent as Json | undefined)?.reasoningText as Json | undefined)?.signature;
  return typeof signature === 'string' ? signature : undefined;
}

/** The prefix half: remembers what each issued block was written after, and checks blocks sent back against it. */
export class PrefixChecks {
  private readonly prefixes = new Map<string, Set<string>>();

  observe(modelId: string, request: Json, response: Json): void {
    if (!thinkingOf(modelId).preserved) return;
    const messages = (request.messages as Json[] | undefined) ?? [];
    const content = ((((response.output as Json | undefined)?.message as Json | undefined)?.content as Json[] | undefined) ?? []);
    content.forEach((block, index) => {
      const signature = signatureOf(block);
      if (signature === undefined) return;
      const seen = this.prefixes.get(signature) ?? new Set<string>();
      seen.add(prefixDigest(request, messages, content.slice(0, index)));
      this.prefixes.set(signature, seen);
    });
  }

  check(modelId: string, body: Json): Refusal | undefined {
    if (!thinkingOf(modelId).preserved) return undefined;
    const messages = (body.messages as Json[] | undefined) ?? [];
    for (const [messageIndex, message] of messages.entries()) {
      if (message.role !== 'assistant') continue;
      const content = (message.content as Json[] | undefined) ?? [];
      for (const [blockIndex, block] of content.entries()) {
        const signature = signatureOf(block);
        if (signature === undefined) continue;
        const issued = this.prefixes.get(signature);
        // A signature the model never wrote is no thinking block of its at all, whatever came before it.
        if (!issued) return { message: `messages.${messageIndex}.content.${blockIndex}: Invalid \`signature\` in \`thinking\` block` };
        if (issued.has(prefixDigest(body, messages.slice(0, messageIndex), content.slice(0, blockIndex)))) continue;
        return {
          message: `messages.${messageIndex}.content.${blockIndex}: Invalid \`signature\` in \`thinking\` block. The block is bound to a different conversation. Remove the block, or set \`thinking.block_binding.prefix_mismatch_behavior\` to "drop_block".`,
        };
      }
    }
    return undefined;
  }
}
