/**
 * A file the import cannot take, with what was wrong in words a person can act on (and the
 * HTTP status the upload answers with): never a stack trace, never a 500.
 */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 409 | 413 | 415 | 422 | 429 = 422,
    /** For a 429: when the quota allows another import. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ImportFileError";
  }
}

/** 1234567 → "1,234,567": byte positions and counts as people read them. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}
