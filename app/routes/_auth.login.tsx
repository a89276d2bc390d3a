import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CurrentPasswordField, EmailField, FormError } from "#app/components/auth/AuthField";
import { signInSchema } from "#app/lib/account-forms";
import { authFailure, parseAuthForm, type AuthFailure } from "#app/lib/auth-action.server";
import { clientAddress } from "#app/lib/client-address.server";
import { headersWithRetryAfter, readForm, tooManyRequests } from "#app/lib/http.server";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { signedInAccount, signIn } from "#app/services/auth.server";
import { signInThrottle } from "#app/services/limits/sign-in-throttle.server";
import { readyRuntime } from "#app/services/runtime.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Parley" }];

/** Where to go after signing in: the page that sent the visitor here, if it is one of ours. */
function returnTo(request: Request): string {
  const value = new URL(request.url).searchParams.get("redirectTo") ?? "";
  return signInSchema.shape.redirectTo.safeParse(value).data ?? "";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const redirectTo = returnTo(request);
  if (await signedInAccount(runtime, request)) throw redirect(redirectTo || "/chats");
  return {
    redirectTo,
    signupsOpen: runtime.config.SIGNUPS === "open",
    guestsOn: runtime.config.GUESTS === "on",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const form = await readForm(request);
  const input = parseAuthForm(signInSchema, form);
  if (!input.success) return input.response;
  // The sign-in throttle (app/services/limits/sign-in-throttle.server.ts): its one call site,
  // before any password work; unknown emails count like known ones.
  const throttle = signInThrottle(runtime);
  const attempt = {
    email: input.data.email,
    ip: clientAddress(request, context, runtime.config.TRUST_PROXY),
  };
  const verdict = await throttle.check(attempt);
  if (!verdict.allowed) return tooManyRequests(verdict, "email");
  const result = await signIn(runtime, request, input.data);
  if (!result.ok) {
    await throttle.recordFailure(attempt);
    const { status, error, fieldErrors } = result.refusal;
    return authFailure(status, error, fieldErrors, form);
  }
  await throttle.recordSuccess(attempt);
  return redirect(input.data.redirectTo ?? "/chats", { headers: { "Set-Cookie": result.setCookie } });
}

export const headers = headersWithRetryAfter;
export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

export default function SignIn() {
  const { redirectTo, signupsOpen, guestsOn } = useLoaderData<typeof loader>();
  const failure = useActionData<AuthFailure>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors;
  return (
    <>
      <h1>Sign in</h1>
      <p className="page__lead">
        {guestsOn
          ? "Your chats on every device. Chats you started as a guest in this browser come with you."
          : "Sign in to use this Parley."}
      </p>
      <Form method="post" className="auth-form">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <EmailField defaultValue={failure?.email} error={errors?.email} />
        <CurrentPasswordField error={errors?.password} />
        <FormError error={failure && !errors ? failure.error : undefined} />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      {signupsOpen ? (
        <p className="auth__switch">
          No account yet?{" "}
          <Link to={`/join${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>
            Sign up
          </Link>
        </p>
      ) : null}
    </>
  );
}
