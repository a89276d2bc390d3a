import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useNavigation } from "@remix-run/react";
import { ProjectForm } from "#app/components/ProjectForm";
import type { ActionFailure } from "#app/lib/action-result";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { clientAddress } from "#app/lib/client-address.server";
import {
  headersWithRetryAfter,
  parseForm,
  readForm,
  tooManyRequests,
  withCookie,
} from "#app/lib/http.server";
import { admitWrite } from "#app/services/limits/quotas.server";
import { createProject, projectFieldsSchema } from "#app/services/projects.server";
import { planWriter } from "#app/services/visitor.server";
import { readyRuntime } from "#app/services/runtime.server";

export const meta: MetaFunction = () => [{ title: "New project · Parley" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const input = parseForm(projectFieldsSchema, await readForm(request));
  if (!input.success) return input.response;
  const planned = await planWriter(runtime, request);
  // A project made as a first write creates a guest: the per-address limit on new guests applies.
  const address = clientAddress(request, context, runtime.config.TRUST_PROXY);
  const refusal = await admitWrite(runtime, planned, {}, address);
  if (refusal) return tooManyRequests(refusal);
  const writer = await planned.create();
  const project = await createProject(runtime, writer.userId, input.data);
  return redirect(`/chats?project=${project.id}`, { headers: withCookie(writer.setCookie) });
}

export const headers = headersWithRetryAfter;
export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

export default function NewProject() {
  const failure = useActionData<ActionFailure>();
  const navigation = useNavigation();
  return (
    <main className="page" aria-labelledby="new-project-title">
      <h1 id="new-project-title">New project</h1>
      <p className="page__lead">
        A project groups chats. Its instructions are given to the assistant at the start of every chat in it.
      </p>
      <ProjectForm
        errors={failure?.fieldErrors}
        error={failure?.error}
        submitLabel="Create project"
        busy={navigation.state === "submitting"}
      />
    </main>
  );
}
