import { canonicalId } from "#db/ids";

const CACHED_PATH = /^\/chats(?:\/([^/.]+))?(?:\.data)?$/;

/**
 * Whether a path may be answered from the response cache: the chat list (`/chats`) and a chat
 * (`/chats/<id>`), as documents and as data requests (`.data`, single fetch). Their loaders
 * (root, the app layout, the page) read nothing that the key does not cover (decision 0024
 * lists each read). Resolves to the chat's id, undefined for the list, or false for any other
 * path. An id in another spelling than the canonical one is not looked up (the page redirects).
 */
export function cachedPageChat(pathname: string): string | undefined | false {
  const match = CACHED_PATH.exec(pathname);
  if (!match) return false;
  const raw = match[1];
  if (raw === undefined) return undefined;
  return canonicalId(raw) === raw ? raw : false;
}
