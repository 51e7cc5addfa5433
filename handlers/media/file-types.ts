/** Image formats both providers accept (DeepSeek: JPEG, PNG, GIF, WebP; Bedrock Converse: the same four). */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

/** Telegram sends photos as JPEG, but image documents can be anything: the bytes decide, not the name. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === 'WEBP') return 'image/webp';
  return undefined;
}

export const EXTENSION_OF: Record<ImageType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

export function isPdf(mimeType: string | undefined, fileName: string | undefined): boolean {
  return mimeType === 'application/pdf' || /\.pdf$/i.test(fileName ?? '');
}

const TEXT_MIME = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-javascript|typescript|x-sh|x-python|sql|toml|x-ndjson|ld\+json))/;
const TEXT_EXTENSIONS = new Set(
  'txt md markdown csv tsv json jsonl ndjson yaml yml toml ini cfg conf env xml html htm css log sql sh bash zsh py rb js mjs cjs ts tsx jsx go rs java kt swift c h cc cpp hpp cs php pl r lua scala dart tex srt vtt'.split(' '),
);

/** Telegram often labels code files `application/octet-stream`, so the extension counts too. */
export function isTextLike(mimeType: string | undefined, fileName: string | undefined): boolean {
  if (mimeType && TEXT_MIME.test(mimeType)) return true;
  const extension = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  return extension !== undefined && TEXT_EXTENSIONS.has(extension);
}

export function isImageDocument(mimeType: string | undefined): boolean {
  return mimeType === 'image/jpeg' || mimeType === 'image/png' || mimeType === 'image/gif' || mimeType === 'image/webp';
}

export interface OfficeType {
  mediaType: string;
  extension: string;
  label: string;
}

/** Word and Excel files: Bedrock Converse reads them as document blocks (doc, docx, xls, xlsx); nothing reads them for DeepSeek. */
const OFFICE_TYPES: OfficeType[] = [
  { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', label: 'Word document' },
  { mediaType: 'application/msword', extension: 'doc', label: 'Word document' },
  { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', label: 'Excel workbook' },
  { mediaType: 'application/vnd.ms-excel', extension: 'xls', label: 'Excel workbook' },
];

export function officeType(mimeType: string | undefined, fileName: string | undefined): OfficeType | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  return OFFICE_TYPES.find((type) => type.mediaType === mimeType) ?? OFFICE_TYPES.find((type) => type.extension === extension);
}

export function isOfficeMediaType(mediaType: string): boolean {
  return OFFICE_TYPES.some((type) => type.mediaType === mediaType);
}
