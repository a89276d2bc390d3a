import { useRouteLoaderData } from "@remix-run/react";

/** The only configuration the browser sees: limits and labels, never secrets or URLs. */
export interface PublicConfig {
  messageMaxChars: number;
  offline: boolean;
}

/** What the root loader gives every page. Declared here, not inferred from root.tsx, so components need not import the root. */
export interface RootData {
  requestId: string;
  config: PublicConfig;
}

export function useRootData(): RootData | undefined {
  return useRouteLoaderData("root") as RootData | undefined;
}
