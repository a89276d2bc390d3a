import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useNavigation } from "@remix-run/react";
import { ProjectForm } from "#app/components/ProjectForm";
import type { ActionFailure } from "#app/lib/action-result";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { parseForm, readForm, withCookie } from "#app/lib/http.server";
import { createProject, projectFieldsSchema } from "#app/services/projects.server";
import { requireWriter } from "#app/services/visitor.server";
import { readyRuntime } from "#app/services/runtime.server";

export const meta: MetaFunction = () => [{ title: "New project · Parley" }];

export async function action({ request }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const input = parseForm(projectFieldsSchema, await readForm(request));
  if (!input.success) return input.response;
  const writer = await requireWriter(runtime, request);
  const project = await createProject(runtime, writer.userId, input.data);
  return redirect(`/chats?project=${project.id}`, { headers: withCookie(writer.setCookie) });
}

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
