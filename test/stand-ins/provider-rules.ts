import { imageSize } from 'image-size';
import { refusedCachePoints } from './bedrock-cache-point-rules.ts';
import { PrefixChecks, refusedThinkingSettings, thinkingOn } from './claude-thinking-rules.ts';
/**
 * The documented request rules of the providers the replay server stands in for, so a request the real API would
 * refuse is refused here too, with the status and error shape the real API uses.
 *
 * DeepSeek (api-docs.deepseek.com, "Models & Pricing" and "Thinking Mode", checked 2026-12-01):
 * - `deepseek-chat` and `deepseek-reasoner` are no longer served; the model ids are `deepseek-flash` and
 *   `deepseek-v4-pro`, and the legacy `deepseek-v4-flash` / `deepseek-v4-flash-vision-exp` are still accepted.
 * - Thinking is on unless `thinking.type` is `disabled`. While it is on, every assistant message that made tool
 *   calls must carry its `reasoning_content` in all later requests, or the API answers HTTP 400.
 * - `reasoning_effort` is one of low, high, max (the API maps minimal/medium/xhigh/ultra onto those).
 *
 * Bedrock Converse with Claude thinking (Anthropic "extended thinking with tool use", Bedrock ValidationException):
 * when thinking is on and the request ends with tool results, the assistant message that asked for them must
 * start with its reasoning block, signature unchanged. Which thinking settings each model takes, and the prefix
 * check of preserved thinking, are in claude-thinking-rules.ts.
 * Bedrock DocumentBlock (API reference, read 2026-12-02): `format` is one of pdf, csv, doc, docx, xls, xlsx, html,
 * txt, md; `name` is 1 to 200 characters of letters, digits, single whitespace, hyphens, parentheses and square
 * brackets. Documents may stand in a message or in a tool result. Message (API reference, read 2026-12-02): at most
 * 20 images of 3.75 MB and 5 documents of 4.5 MB in one message; a message with a document also has a text block.
 * "API restrictions" (User Guide, checked 2026-12-02): at most 5 documents in the whole request, and Claude takes at
 * most 100 PDF pages in a request (Anthropic's refusal: "A maximum of 100 PDF pages may be provided.").
 * ImageBlock (API reference, checked 2026-12-02): at most 8000 pixels on a side.
 */
export interface Rejection {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const DEEPSEEK_MODELS = new Set(['deepseek-flash', 'deepseek-v4-flash', 'deepseek-v4-pro', 'deepseek-v4-flash-vision-exp']);
const DEEPSEEK_VISION_MODELS = new Set(['deepseek-flash', 'deepseek-v4-flash-vision-exp']);
const DEEPSEEK_EFFORTS = new Set(['low', 'medium', 'high', 'max', 'minimal', 'xhigh', 'ultra']);
const BEDROCK_DOCUMENT_FORMATS = new Set(['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md']);
const BEDROCK_DOCUMENT_NAME = /^(?=.{1,200}$)[A-Za-z0-9\-()[\]]+(\s[A-Za-z0-9\-()[\]]+)*$/;

type Json = Record<string, unknown>;

function deepseekError(message: string): Rejection {
  return { status: 400, body: { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_request_error' } } };
}

function bedrockValidation(message: string): Rejection {
  return { status: 400, headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, body: { message } };
}

/** Remembers what it answered (tool calls with their reasoning) to check that later requests send it back. */
export class ProviderRules {
  private readonly deepseekReasoning = new Map<string, string>();
  private readonly bedrockSignatures = new Map<string, string>();
  private readonly prefixChecks = new PrefixChecks();

  check(path: string, body: Json): Rejection | undefined {
    const deepseek = path === '/chat/completions';
    // Request size: DeepSeek's body limit is 48 MiB (Vision guide); Claude's 32 MB, Nova's 25 MB (Bedrock "API
    // restrictions"), files base64-encoded in it. The front end refuses a larger body before reading it.
    const limit = deepseek ? 48 * 1024 * 1024 : bedrockModelOf(path).includes('anthropic.claude') ? 32_000_000 : 25_000_000;
    if (Buffer.byteLength(JSON.stringify(body)) > limit) return { status: 413, body: { message: `Request body larger than ${limit} bytes.` } };
    return deepseek ? this.checkDeepSeek(body) : this.checkBedrock(bedrockModelOf(path), body);
  }

  /** Records what a replayed answer issued, so the follow-up requests can be held to it. */
  observe(path: string, response: unknown, request: Json = {}): void {
    if (path === '/chat/completions') {
      const message = ((response as Json).choices as Json[] | undefined)?.[0]?.message as Json | undefined;
      for (const call of (message?.tool_calls as Json[] | undefined) ?? []) {
        if (typeof message?.reasoning_content === 'string') this.deepseekReasoning.set(String(call.id), message.reasoning_content);
      }
      return;
    }
    this.prefixChecks.observe(bedrockModelOf(path), request, response as Json);
    const content = (((response as Json).output as Json | undefined)?.message as Json | undefined)?.content as Json[] | undefined;
    const signature = content?.map((block) => (block.reasoningContent as Json | undefined)?.reasoningText as Json | undefined).find(Boolean)?.signature;
    for (const block of content ?? []) {
      const toolUse = block.toolUse as Json | undefined;
      if (toolUse && typeof signature === 'string') this.bedrockSignatures.set(String(toolUse.toolUseId), signature);
    }
  }

  private checkDeepSeek(body: Json): Rejection | undefined {
    if (!DEEPSEEK_MODELS.has(String(body.model))) return deepseekError('Model Not Exist');
    if (body.reasoning_effort !== undefined && !DEEPSEEK_EFFORTS.has(String(body.reasoning_effort))) {
      return deepseekError(`Invalid reasoning_effort: ${String(body.reasoning_effort)}`);
    }
    const refusedImage = checkDeepSeekImages(String(body.model), (body.messages as Json[] | undefined) ?? []);
    if (refusedImage) return refusedImage;
    const thinking = (body.thinking as Json | undefined)?.type !== 'disabled';
    if (!thinking) return undefined;
    for (const message of (body.messages as Json[] | undefined) ?? []) {
      const calls = message.tool_calls as Json[] | undefined;
      if (message.role !== 'assistant' || !calls?.length) continue;
      if (typeof message.reasoning_content !== 'string') return deepseekError('The reasoning_content in the thinking mode must be passed back to the API.');
      for (const call of calls) {
        const issued = this.deepseekReasoning.get(String(call.id));
        if (issued !== undefined && issued !== message.reasoning_content) {
          return deepseekError('The reasoning_content in the thinking mode must be passed back to the API.');
        }
      }
    }
    return undefined;
  }

  private checkBedrock(model: string, body: Json): Rejection | undefined {
    const refusedThinking = refusedThinkingSettings(model, body) ?? this.prefixChecks.check(model, body);
    if (refusedThinking) return bedrockValidation(refusedThinking.message);
    const refusedCache = refusedCachePoints(model, body);
    if (refusedCache) return bedrockValidation(refusedCache);
    const messages = (body.messages as Json[] | undefined) ?? [];
    for (const message of messages) {
      const refused = checkBedrockMedia((message.content as Json[] | undefined) ?? []);
      if (refused) return refused;
    }
    const documents = messages.flatMap((message) => mediaBlocks((message.content as Json[] | undefined) ?? [])).filter((block) => block.document).length;
    if (documents > 5) return bedrockValidation('Too many documents: a request can include up to 5 documents.');
    if (model.includes('anthropic.claude') && pdfPagesOf(messages) > 100) return bedrockValidation('A maximum of 100 PDF pages may be provided.');
    if (!thinkingOn(model, body)) return undefined;
    const last = messages.at(-1);
    const endsWithToolResults = last?.role === 'user' && ((last.content as Json[] | undefined) ?? []).some((block) => block.toolResult);
    if (!endsWithToolResults) return undefined;
    const asking = messages.at(-2);
    const blocks = (asking?.content as Json[] | undefined) ?? [];
    const reasoning = (blocks[0]?.reasoningContent as Json | undefined)?.reasoningText as Json | undefined;
    const refused =
      'Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block.';
    if (!reasoning) return bedrockValidation(refused);
    for (const block of blocks) {
      const toolUse = block.toolUse as Json | undefined;
      const issued = toolUse ? this.bedrockSignatures.get(String(toolUse.toolUseId)) : undefined;
      if (issued !== undefined && issued !== reasoning.signature) return bedrockValidation('Invalid `signature` in `thinking` block');
    }
    return undefined;
  }
}

/** The model id of a Converse path, `/model/{modelId}/converse`, as the SDK encodes it. */
function bedrockModelOf(path: string): string {
  return decodeURIComponent(/^\/model\/([^/]+)\/converse$/.exec(path)?.[1] ?? '');
}

const MB = 1024 * 1024;

/** Bytes of a base64 source, as Bedrock measures the decoded file. */
function sourceBytes(block: Json): number {
  const bytes = (block.source as Json | undefined)?.bytes;
  return typeof bytes === 'string' ? Math.floor((bytes.length * 3) / 4) : 0;
}

/** The longer side of a base64 image source, in pixels; 0 when it cannot be read. */
function largestSide(block: Json): number {
  const bytes = (block.source as Json | undefined)?.bytes;
  if (typeof bytes !== 'string') return 0;
  try {
    const { width, height } = imageSize(Buffer.from(bytes, 'base64'));
    return Math.max(width, height);
  } catch {
    return 0;
  }
}

/**
 * DeepSeek's "Vision" guide (checked 2026-12-02): `deepseek-flash` (and the retired vision name it serves) reads
 * images, in JPEG, PNG, GIF or WebP, the format "detected from the actual file content"; the other models read text.
 */
function checkDeepSeekImages(model: string, messages: Json[]): Rejection | undefined {
  const urls = messages.flatMap((message) => (Array.isArray(message.content) ? (message.content as Json[]) : [])).flatMap((part) => (part.type === 'image_url' ? [String((part.image_url as Json | undefined)?.url ?? '')] : []));
  if (urls.length === 0) return undefined;
  if (!DEEPSEEK_VISION_MODELS.has(model)) return deepseekError(`Model ${model} does not support image input.`);
  for (const url of urls) {
    const data = /^data:[^;,]*;base64,(.*)$/s.exec(url)?.[1];
    if (data !== undefined && !imageFormatOf(Buffer.from(data.slice(0, 64), 'base64'))) return deepseekError('Unsupported image format: use JPEG, PNG, GIF or WebP.');
  }
  return undefined;
}

function imageFormatOf(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return undefined;
}

/** The pages of every PDF document block of the request, counted as a PDF's page objects. */
function pdfPagesOf(messages: Json[]): number {
  return messages
    .flatMap((message) => mediaBlocks((message.content as Json[] | undefined) ?? []))
    .flatMap((block) => (block.document && (block.document as Json).format === 'pdf' ? [block.document as Json] : []))
    .reduce((pages, document) => {
      const bytes = (document.source as Json | undefined)?.bytes;
      const text = typeof bytes === 'string' ? Buffer.from(bytes, 'base64').toString('latin1') : '';
      return pages + (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0);
    }, 0);
}

/** A message's blocks, with those inside its tool results. */
function mediaBlocks(content: Json[]): Json[] {
  return content.flatMap((block) => [block, ...(((block.toolResult as Json | undefined)?.content as Json[] | undefined) ?? [])]);
}

/** The media rules of one Converse message, documents and images inside its tool results included. */
function checkBedrockMedia(content: Json[]): Rejection | undefined {
  const blocks = mediaBlocks(content);
  const documents = blocks.flatMap((block) => (block.document ? [block.document as Json] : []));
  const images = blocks.flatMap((block) => (block.image ? [block.image as Json] : []));
  if (documents.length > 5) return bedrockValidation('Too many documents: a message can include up to 5 documents.');
  if (images.length > 20) return bedrockValidation('Too many images: a message can include up to 20 images.');
  if (images.some((image) => sourceBytes(image) > 3.75 * MB)) return bedrockValidation('Image exceeds max size of 3.75 MB.');
  if (images.some((image) => largestSide(image) > 8000)) return bedrockValidation('Image exceeds max dimensions of 8000 x 8000 pixels.');
  for (const document of documents) {
    if (!BEDROCK_DOCUMENT_FORMATS.has(String(document.format))) return bedrockValidation(`Invalid document format: ${String(document.format)}`);
    if (!BEDROCK_DOCUMENT_NAME.test(String(document.name))) {
      return bedrockValidation(
        "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character.",
      );
    }
    if (sourceBytes(document) > 4.5 * MB) return bedrockValidation('Document exceeds max size of 4.5 MB.');
  }
  if (content.some((block) => block.document) && !content.some((block) => typeof block.text === 'string')) {
    return bedrockValidation('A message with a document must also include a text block.');
  }
  return undefined;
}
