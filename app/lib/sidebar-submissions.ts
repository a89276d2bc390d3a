import type { PlaceIntent } from "./sidebar-placement";

/** The fetcher keys of a chat's rename and delete: one per chat, so the latest wins. */
export const renameFetcherKey = (chatId: string) => `rename:${chatId}`;
export const deleteFetcherKey = (chatId: string) => `delete:${chatId}`;

/**
 * What a sidebar item can ask of its chat, with JavaScript. The sidebar submits them (one
 * `useSubmit` for the whole list) through fetchers keyed by chat, so an item carries no
 * router hook of its own.
 */
export interface ChatActions {
  rename: (chatId: string, title: string) => void;
  place: (chatId: string, intent: PlaceIntent) => void;
  /** `active`: the chat is open, so the deletion goes to the chat list afterwards. */
  remove: (chatId: string, active: boolean) => void;
  /** A client-side navigation to one of the list's links. */
  open: (href: string) => void;
}
