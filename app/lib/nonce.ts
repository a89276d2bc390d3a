import { createContext, useContext } from "react";

/**
 * This request's CSP nonce, provided around the whole document by entry.server.tsx, for the
 * inline scripts Remix writes (<Scripts>, <ScrollRestoration>). In the browser it is empty:
 * those scripts already ran, and browsers hide a nonce from the page anyway.
 */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
