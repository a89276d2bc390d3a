import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CurrentPasswordField, FormError, NewPasswordField } from "#app/components/auth/AuthField";
import {
  changePasswordSchema,
  deleteAccountSchema,
  endOtherSessionsSchema,
  endSessionSchema,
} from "#app/lib/account-forms";
import { authFailure, parseAuthForm, type AuthFailure } from "#app/lib/auth-action.server";
import { readForm } from "#app/lib/http.server";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import {
  changePassword,
  deleteAccount,
  endOtherSessions,
  endSession,
  listSessions,
  signedInAccount,
  type SessionView,
} from "#app/services/auth.server";
import { readyRuntime } from "#app/services/runtime.server";

export const meta: MetaFunction = () => [{ title: "Account · Parley" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const me = await signedInAccount(runtime, request);
  const signupsOpen = runtime.config.SIGNUPS === "open";
  if (!me) return { account: null, sessions: [] as SessionView[], signupsOpen };
  const sessions = await listSessions(runtime, me.userId, me.sessionId);
  return { account: { email: me.account.email ?? "" }, sessions, signupsOpen };
}

const DONE = {
  "session-ended": "That session is signed out.",
  "others-ended": "Every other session is signed out.",
  "password-changed": "Your password is changed, and every other session is signed out.",
} as const;

/** The account page's forms, one `intent` each; all of them act on the signed-in account only. */
export async function action({ request }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const form = await readForm(request);
  const me = await signedInAccount(runtime, request);
  if (!me) throw redirect("/login?redirectTo=/account");
  switch (form.get("intent")) {
    case "end-session": {
      const input = parseAuthForm(endSessionSchema, form);
      if (!input.success) return input.response;
      if (!(await endSession(runtime, me.userId, me.sessionId, input.data.session)))
        return authFailure(404, "That session has already ended.", undefined, form);
      return redirect("/account?done=session-ended");
    }
    case "end-other-sessions": {
      const input = parseAuthForm(endOtherSessionsSchema, form);
      if (!input.success) return input.response;
      await endOtherSessions(runtime, me.userId, me.sessionId);
      return redirect("/account?done=others-ended");
    }
    case "change-password": {
      const input = parseAuthForm(changePasswordSchema, form);
      if (!input.success) return input.response;
      const refusal = await changePassword(runtime, me.userId, me.sessionId, input.data);
      if (refusal) return authFailure(refusal.status, refusal.error, refusal.fieldErrors, form);
      return redirect("/account?done=password-changed");
    }
    case "delete-account": {
      const input = parseAuthForm(deleteAccountSchema, form);
      if (!input.success) return input.response;
      const result = await deleteAccount(runtime, me.userId, input.data.password);
      if (!result.ok) {
        const { status, error, fieldErrors } = result.refusal;
        return authFailure(status, error, fieldErrors, form);
      }
      return redirect(runtime.config.GUESTS === "on" ? "/chats" : "/login", {
        headers: { "Set-Cookie": result.setCookie },
      });
    }
    default:
      return authFailure(400, "Unknown action.", undefined, form);
  }
}

export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

/** Times as the server wrote them, in UTC: the same text on the server and in the browser. */
function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export default function Account() {
  const { account, sessions, signupsOpen } = useLoaderData<typeof loader>();
  const failure = useActionData<AuthFailure>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const done = DONE[params.get("done") as keyof typeof DONE] as string | undefined;
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const errorsFor = (intent: string) => (failure?.intent === intent ? failure : undefined);

  if (!account) {
    return (
      <main className="page" aria-labelledby="account-title">
        <h1 id="account-title">Account</h1>
        <p className="page__lead">
          You are chatting as a guest: your chats live in this browser only.{" "}
          {signupsOpen
            ? "Sign up to keep them on every device, or sign in to add them to your account."
            : null}
        </p>
        <p className="account__actions">
          <Link className="button button--primary" to="/login?redirectTo=/account">
            Sign in
          </Link>
          {signupsOpen ? (
            <Link className="button" to="/join?redirectTo=/account">
              Sign up
            </Link>
          ) : null}
        </p>

        <ChatFiles />
      </main>
    );
  }

  const others = sessions.filter((session) => !session.current);
  const password = errorsFor("change-password");
  const deletion = errorsFor("delete-account");
  const sessionError = errorsFor("end-session") ?? errorsFor("end-other-sessions");
  return (
    <main className="page" aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <p className="page__lead">
        Signed in as <strong>{account.email}</strong>.
      </p>
      {done ? (
        <p className="account__notice" role="status">
          {done}
        </p>
      ) : null}

      <section className="account__section" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you are signed in</h2>
        <ul className="account__sessions">
          {sessions.map((session) => (
            <li key={session.handle} className="account__session">
              <div>
                <strong>{session.device}</strong>
                {session.current ? <span className="badge">This browser</span> : null}
                <p className="account__session-times">
                  Signed in <time dateTime={session.createdAt}>{formatTime(session.createdAt)}</time> · last
                  seen <time dateTime={session.lastSeenAt}>{formatTime(session.lastSeenAt)}</time>
                </p>
              </div>
              {session.current ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="end-session" />
                  <input type="hidden" name="session" value={session.handle} />
                  <button
                    type="submit"
                    className="button button--small"
                    aria-label={`Sign out ${session.device}, signed in ${formatTime(session.createdAt)}`}
                  >
                    Sign out
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others.length > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="end-other-sessions" />
            <button type="submit" className="button" disabled={busyIntent === "end-other-sessions"}>
              Sign out everywhere else
            </button>
          </Form>
        ) : null}
        <FormError error={sessionError?.error} />
      </section>

      <section className="account__section" aria-labelledby="shared-links-title">
        <h2 id="shared-links-title">Shared links</h2>
        <p>
          <Link to="/shared-links">See and revoke the links</Link> you made to read-only copies of your chats.
        </p>
      </section>

      <ChatFiles />

      <section className="account__section" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <Form method="post" className="auth-form">
          <input type="hidden" name="intent" value="change-password" />
          <CurrentPasswordField
            label="Current password"
            name="currentPassword"
            error={password?.fieldErrors?.currentPassword}
          />
          <NewPasswordField
            label="New password"
            name="newPassword"
            hint="Every other session will be signed out."
            error={password?.fieldErrors?.newPassword}
          />
          <FormError error={password && !password.fieldErrors ? password.error : undefined} />
          <button
            type="submit"
            className="button button--primary"
            disabled={busyIntent === "change-password"}
          >
            Change password
          </button>
        </Form>
      </section>

      <section className="danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete account</h2>
        <p>
          Deletes your account with every chat, message and project in it, and signs out every session. This
          cannot be undone.
        </p>
        <Form method="post" className="auth-form">
          <input type="hidden" name="intent" value="delete-account" />
          <CurrentPasswordField error={deletion?.fieldErrors?.password} />
          <FormError error={deletion && !deletion.fieldErrors ? deletion.error : undefined} />
          <button type="submit" className="button button--danger" disabled={busyIntent === "delete-account"}>
            Delete my account
          </button>
        </Form>
      </section>
    </main>
  );
}

/** Export everything as one file, or import chats from one (a guest's chats too). */
function ChatFiles() {
  return (
    <section className="account__section" aria-labelledby="data-title">
      <h2 id="data-title">Your chats as files</h2>
      <p className="account__actions">
        <a className="button" href="/export.json" download>
          Export all
        </a>
        <Link className="button" to="/import">
          Import chats
        </Link>
      </p>
    </section>
  );
}
