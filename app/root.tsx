import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import type { ReactNode } from "react";
import { KeyboardShortcuts } from "#app/components/KeyboardShortcuts";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";
import { useNonce } from "#app/lib/nonce";
import { useIsPublicPage } from "#app/lib/public-page";
import { requestIdOf } from "#app/lib/request-id.server";
import { unlessUnreachable } from "#app/lib/unreachable";
import { publicConfig } from "#app/services/public-config.server";
import type { RootData } from "#app/lib/root-data";
import stylesheet from "#app/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request }: LoaderFunctionArgs): Promise<RootData> {
  return { requestId: requestIdOf(request), config: publicConfig() };
}

/**
 * Always re-run (it is cheap, and it keeps the request id the error page shows current),
 * except after a submission that never reached the server: that would fail the same way.
 */
export const shouldRevalidate: ShouldRevalidateFunction = (args) =>
  unlessUnreachable({ ...args, defaultShouldRevalidate: true });

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // A public page (a shared chat) is the same bytes for everyone and runs no script.
  const scripts = !useIsPublicPage();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {scripts ? <ScrollRestoration nonce={nonce} /> : null}
        {scripts ? <Scripts nonce={nonce} /> : null}
      </body>
    </html>
  );
}

export default function App() {
  return (
    <>
      <Outlet />
      <KeyboardShortcuts />
    </>
  );
}

export function ErrorBoundary() {
  return (
    <RouteErrorPanel notFoundTitle="Page not found" notFoundMessage="There is nothing at this address." />
  );
}
