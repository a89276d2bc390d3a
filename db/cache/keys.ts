/**
 * Hot-store key names, in one place. Data keys carry the version they were read at, so a
 * write never has to find and delete them: it publishes a higher version, and the old
 * entries are simply never asked for again and expire by TTL.
 */
export const cacheKeys = {
  listVersion: (userId: string) => `ver:list:${userId}`,
  /** Per (user, chat): a stranger's look-up can never read the owner's version. */
  chatVersion: (userId: string, chatId: string) => `ver:chat:${userId}:${chatId}`,
  firstChatPage: (userId: string, listVersion: number, limit: number) =>
    `chats:${userId}:${listVersion}:${limit}`,
  listExtra: (userId: string, listVersion: number, name: string) => `list:${userId}:${listVersion}:${name}`,
  chatHeader: (chatId: string, chatVersion: number) => `chat:${chatId}:${chatVersion}:header`,
  newestMessages: (chatId: string, chatVersion: number, limit: number) =>
    `chat:${chatId}:${chatVersion}:newest:${limit}`,
  /**
   * A shared link's page, by its token's hash (the token itself is never stored). Not
   * versioned: the copy never changes, and revoking deletes the key (SharedLinkCache).
   */
  sharedLink: (tokenHash: string) => `shared:${tokenHash}`,
};
