/**
 * Reads shared by the loaders of one page load. Remix runs the layout's and the chat's loaders
 * for the same HTTP request (a document, or one single-fetch data request), and both need the
 * current versions: memoized per request, they are read once. (Who is asking needs no memo:
 * the session repository already answers concurrent look-ups of one session with one read.)
 *
 * The memo hangs on the load context, the one object Remix hands to every loader of a request
 * (each loader gets a Request of its own). Only GET and HEAD requests use it: an action
 * changes what these reads return, so it always reads afresh, and the loaders that follow it
 * see its result. Unlike a memo shared across requests, a page never sees versions read
 * before its own request began.
 */
export interface RequestScope {
  request: Request;
  context: object;
}

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * A value this request read before Remix ran (Parley's server, for GET and HEAD requests only),
 * given to the loaders that would read it again.
 */
export function seedForRequest<T>(context: object, key: string, value: T): void {
  let memo = memos.get(context);
  if (!memo) {
    memo = new Map();
    memos.set(context, memo);
  }
  memo.set(key, Promise.resolve(value));
}

export function memoizeForRequest<T>(
  { request, context }: RequestScope,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  if (request.method !== "GET" && request.method !== "HEAD") return read();
  let memo = memos.get(context);
  if (!memo) {
    memo = new Map();
    memos.set(context, memo);
  }
  let value = memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = read();
    memo.set(key, value);
    // A failed read is not kept: another loader of the request may try again.
    value.catch(() => memo?.delete(key));
  }
  return value;
}
