import { useCallback, useEffect, useState } from "react";

/** How long a refusal stays on screen: long enough to read, then it stops taking room. */
const SHOWN_MS = 8_000;

/**
 * The last refusal a list's items reported (a rename, delete or move the server turned down),
 * shown for a few seconds. `onRefused` is stable, so items can list it in their effects.
 */
export function useRefusalNotice(): { refusal: string | null; onRefused: (message: string) => void } {
  const [refusal, setRefusal] = useState<string | null>(null);
  const onRefused = useCallback((message: string) => setRefusal(message), []);
  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => setRefusal(null), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [refusal]);
  return { refusal, onRefused };
}
