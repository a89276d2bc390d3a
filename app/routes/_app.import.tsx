import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import type { ActionFailure } from "#app/lib/action-result";
import { headersWithRetryAfter, withCookie } from "#app/lib/http.server";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { readyRuntime } from "#app/services/runtime.server";
import { ImportFileError } from "#app/services/transfer/import-error.server";
import { recentImports, startImportFromUpload, type ImportView } from "#app/services/transfer/imports.server";
import { getUserId } from "#app/services/visitor.server";

export const meta: MetaFunction = () => [{ title: "Import chats · Parley" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const userId = await getUserId(runtime, request);
  const imports = await recentImports(runtime, userId);
  return { imports, maxMegabytes: Math.floor(runtime.config.IMPORT_MAX_BYTES / (1024 * 1024)) };
}

/** The upload: a plain multipart form. A file that cannot be imported is a 4xx saying why. */
export async function action({ request, context }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  try {
    const started = await startImportFromUpload(runtime, request, context);
    return redirect(`/import?started=${started.importId}`, { headers: withCookie(started.setCookie) });
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    const headers = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
    return data<ActionFailure>({ ok: false, error: error.message }, { status: error.status, headers });
  }
}

export { headersWithRetryAfter as headers };
export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

const count = (value: number) => value.toLocaleString("en-US");

/** While an import runs the page asks again every second: by script when there is one, else by reloading. */
function useRefreshWhile(running: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
}

export default function ImportPage() {
  const { imports, maxMegabytes } = useLoaderData<typeof loader>();
  const failure = useActionData<ActionFailure>();
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting";
  const running = imports.some((job) => job.status === "running");
  useRefreshWhile(running);

  return (
    <main className="page" aria-labelledby="import-title">
      {running ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <h1 id="import-title">Import chats</h1>
      <p className="page__lead">
        Bring in chats from ChatGPT (the <code>conversations.json</code> in its data export) or from a Parley
        export. Importing the same file again adds only what is not here yet.
      </p>

      <Form method="post" encType="multipart/form-data" className="auth-form import__form">
        <div className="auth-form__field">
          <label htmlFor="import-file">File (JSON, up to {maxMegabytes} MB)</label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".json,application/json"
            required
            aria-invalid={failure && !failure.ok ? true : undefined}
            aria-describedby={failure && !failure.ok ? "import-error" : undefined}
          />
        </div>
        {failure && !failure.ok ? (
          <p id="import-error" className="field-error auth-form__error" role="alert">
            {failure.error}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={uploading || running}>
          {uploading ? "Reading the file…" : "Import"}
        </button>
      </Form>

      {imports.length > 0 ? (
        <section className="account__section" aria-labelledby="imports-title">
          <h2 id="imports-title">Your imports</h2>
          <ul className="import__list">
            {imports.map((job) => (
              <ImportItem key={job.id} job={job} />
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}

const SOURCE_NAMES: Record<ImportView["source"], string> = { chatgpt: "ChatGPT", parley: "Parley" };

function ImportItem({ job }: { job: ImportView }) {
  const done = job.imported + job.skipped;
  const name = `${SOURCE_NAMES[job.source]} file${job.fileName ? ` ${job.fileName}` : ""}`;
  return (
    <li className="import__item">
      <p className="import__name">
        <strong>{name}</strong>{" "}
        <time className="account__session-times" dateTime={job.startedAt}>
          {job.startedAt.slice(0, 16).replace("T", " ")} UTC
        </time>
      </p>
      {job.status === "running" ? (
        <>
          <p role="status">
            Imported {count(done)} of {count(job.total)} chats…
          </p>
          <progress
            className="import__progress"
            max={job.total}
            value={done}
            aria-label={`Import of ${name}`}
          />
          <p className="auth-form__hint">
            <a href="/import">Refresh</a> · you can leave this page: the import goes on.
          </p>
        </>
      ) : (
        <p role={job.status === "done" ? "status" : "alert"}>{outcome(job)}</p>
      )}
    </li>
  );
}

function outcome(job: ImportView): string {
  const already = job.skipped > 0 ? ` (${count(job.skipped)} already here, left as they were)` : "";
  if (job.status === "done") return `Imported ${count(job.imported)} of ${count(job.total)} chats${already}.`;
  const sofar = `${count(job.imported)} of ${count(job.total)} chats were imported${already}`;
  if (job.status === "failed") return `${job.error ?? "The import stopped."} ${sofar}.`;
  return `The import was interrupted (the server stopped). ${sofar}; import the file again to add the rest.`;
}
