import { ValidationError } from './errors.ts';

/**
 * Every adapter calls this before touching storage, so a crafted path (`../`, absolute, backslashes, NUL)
 * can never leave the skills root, whatever the tool layer let through.
 */
export function assertSafeRelativePath(path: string): void {
  if (path === '' || path.length > 512) throw new ValidationError('Path must be 1-512 characters.');
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0')) {
    throw new ValidationError(`Path "${path}" must be relative and use "/" separators.`);
  }
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new ValidationError(`Path "${path}" may not contain empty, "." or ".." segments.`);
    }
  }
}

export function assertSafePrefix(prefix: string): void {
  if (prefix === '') return;
  if (!prefix.endsWith('/')) throw new ValidationError(`Prefix "${prefix}" must end with "/".`);
  assertSafeRelativePath(prefix.slice(0, -1));
}
