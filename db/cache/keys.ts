/**
 * Hot-store key names, in one place. Data keys carry the version they were read at, so a
 * write never has to find and delete them: it publishes a higher version, and the old
 * entries are simply never asked for again and expire by TTL.
 *
 * Every key starts with its user's hash tag, `{u:<userId>}`: on a Redis Cluster all of a
 * user's keys live in one slot, so the versions and the entries a page reads together are one
 * MGET there too (a cluster refuses a command whose keys span slots).
 */
export const userTag = (userId: string) => `{u:${userId}}`;

export const cacheKeys = {
  listVersion: (userId: string) => `${userTag(userId)}:ver:list`,
  /** Per (user, chat): a stranger's look-up can never read the owner's version. */
  chatVersion: (userId: string, chatId: string) => `${userTag(userId)}:ver:chat:${chatId}`,
  firstChatPage: (userId: string, listVersion: number, limit: number) =>
    `${userTag(userId)}:chats:${listVersion}:${limit}`,
  listExtra: (userId: string, listVersion: number, name: string) =>
    `${userTag(userId)}:list:${listVersion}:${name}`,
  chatHeader: (userId: string, chatId: string, chatVersion: number) =>
    `${userTag(userId)}:chat:${chatId}:${chatVersion}:header`,
  newestMessages: (userId: string, chatId: string, chatVersion: number, limit: number) =>
    `${userTag(userId)}:chat:${chatId}:${chatVersion}:newest:${limit}`,
  /**
   * A shared link's page, by its token's hash (the token itself is never stored). Not
   * versioned and not a user's (no hash tag): the copy never changes, and revoking replaces
   * it with a tombstone (SharedLinkCache).
   */
  sharedLink: (tokenHash: string) => `shared:${tokenHash}`,
};
