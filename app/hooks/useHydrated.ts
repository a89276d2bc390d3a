import { useEffect, useState } from "react";

let hydratedOnce = false;

/** False during the server render and hydration, true after: for UI that needs JavaScript. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(hydratedOnce);
  useEffect(() => {
    hydratedOnce = true;
    setHydrated(true);
  }, []);
  return hydrated;
}
