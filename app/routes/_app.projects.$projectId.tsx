import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ProjectForm } from "#app/components/ProjectForm";
import type { ActionFailure } from "#app/lib/action-result";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { failure, notFound, parseForm, readForm } from "#app/lib/http.server";
import { deleteProject, getProject, projectFieldsSchema, updateProject } from "#app/services/projects.server";
import { getUserId } from "#app/services/visitor.server";
import { canonicalId } from "#db/ids";
import { canonicalPageId } from "#app/lib/canonical-url.server";
import { readyRuntime } from "#app/services/runtime.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const projectId = canonicalPageId(request, params.projectId);
  const project = projectId ? await getProject(runtime, await getUserId(runtime, request), projectId) : null;
  if (!project) throw new Response("This project does not exist, or it is not yours.", { status: 404 });
  const confirmDelete = new URL(request.url).searchParams.has("delete");
  return { project, confirmDelete };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.project.name} · Parley` : "Parley" },
];

export async function action({ request, params }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const projectId = canonicalId(params.projectId);
  const userId = await getUserId(runtime, request);
  if (!userId || !projectId) notFound("This project does not exist.");
  const form = await readForm(request);
  switch (form.get("intent")) {
    case "save": {
      const input = parseForm(projectFieldsSchema, form);
      if (!input.success) return input.response;
      if (!(await updateProject(runtime, userId, projectId, input.data)))
        notFound("This project does not exist.");
      return redirect(`/chats?project=${projectId}`);
    }
    case "delete": {
      if (!(await deleteProject(runtime, userId, projectId))) notFound("This project does not exist.");
      return redirect("/chats");
    }
    default:
      return failure(400, "Unknown action.");
  }
}

export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

export default function EditProject() {
  const { project, confirmDelete } = useLoaderData<typeof loader>();
  const result = useActionData<ActionFailure>();
  const navigation = useNavigation();
  return (
    <main className="page" aria-labelledby="project-title">
      <h1 id="project-title">
        <span aria-hidden="true">{project.icon}</span> {project.name}
      </h1>
      <ProjectForm
        project={project}
        errors={result?.fieldErrors}
        error={result?.error}
        submitLabel="Save project"
        busy={navigation.state === "submitting"}
      />
      <section className="danger-zone" aria-labelledby="delete-project-title">
        <h2 id="delete-project-title">Delete project</h2>
        {confirmDelete ? (
          <>
            <p>Delete “{project.name}”? Its chats are kept: they simply leave the project.</p>
            <div className="dialog__actions">
              <Link to={`/projects/${project.id}`} className="button">
                Cancel
              </Link>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <button type="submit" className="button button--danger">
                  Delete project
                </button>
              </Form>
            </div>
          </>
        ) : (
          <>
            <p>Its chats are kept and leave the project.</p>
            <Link to={`/projects/${project.id}?delete`} className="button">
              Delete project…
            </Link>
          </>
        )}
      </section>
    </main>
  );
}
