import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { EmailField, FormError, NewPasswordField } from "#app/components/auth/AuthField";
import { signUpSchema } from "#app/lib/account-forms";
import { SIGNUPS_CLOSED } from "#app/lib/account-rules";
import { authFailure, parseAuthForm, type AuthFailure } from "#app/lib/auth-action.server";
import { readForm } from "#app/lib/http.server";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { signedInAccount, signUp } from "#app/services/auth.server";
import { readyRuntime } from "#app/services/runtime.server";

export const meta: MetaFunction = () => [{ title: "Sign up · Parley" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const redirectTo = signUpSchema.shape.redirectTo.safeParse(
    new URL(request.url).searchParams.get("redirectTo") ?? "",
  ).data;
  if (await signedInAccount(runtime, request)) throw redirect(redirectTo || "/chats");
  return { redirectTo: redirectTo ?? "", signupsOpen: runtime.config.SIGNUPS === "open" };
}

export async function action({ request }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const form = await readForm(request);
  if (runtime.config.SIGNUPS === "closed") return authFailure(403, SIGNUPS_CLOSED, undefined, form);
  const input = parseAuthForm(signUpSchema, form);
  if (!input.success) return input.response;
  const result = await signUp(runtime, request, input.data);
  if (!result.ok) {
    const { status, error, fieldErrors } = result.refusal;
    return authFailure(status, error, fieldErrors, form);
  }
  return redirect(input.data.redirectTo ?? "/chats", { headers: { "Set-Cookie": result.setCookie } });
}

export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

export default function SignUp() {
  const { redirectTo, signupsOpen } = useLoaderData<typeof loader>();
  const failure = useActionData<AuthFailure>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors;
  if (!signupsOpen) {
    return (
      <>
        <h1>Sign-ups are closed</h1>
        <p className="page__lead">{SIGNUPS_CLOSED}</p>
        <p className="auth__switch">
          Have an account? <Link to="/login">Sign in</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Create your account</h1>
      <p className="page__lead">
        Keep your chats on every device. The chats you started as a guest in this browser stay yours.
      </p>
      <Form method="post" className="auth-form">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <EmailField defaultValue={failure?.email} error={errors?.email} />
        <NewPasswordField error={errors?.password} />
        <FormError error={failure && !errors ? failure.error : undefined} />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Creating your account…" : "Sign up"}
        </button>
      </Form>
      <p className="auth__switch">
        Have an account?{" "}
        <Link to={`/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>Sign in</Link>
      </p>
    </>
  );
}
