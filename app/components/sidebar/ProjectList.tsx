import { Link } from "@remix-run/react";
import type { ProjectView } from "#app/lib/view-types";

/** Projects above the chats: each filters the list; the pencil opens its settings. */
export function ProjectList({ projects, active }: { projects: ProjectView[]; active: ProjectView | null }) {
  return (
    <section className="projects" aria-label="Projects">
      <div className="projects__header">
        <h2 className="chat-group__title">Projects</h2>
        <Link to="/projects/new" className="icon-button" aria-label="New project" title="New project">
          <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </Link>
      </div>
      {projects.length === 0 ? (
        <p className="projects__empty">Group chats and give them standing instructions.</p>
      ) : (
        <ul className="chat-group__list">
          {projects.map((project) => {
            const current = project.id === active?.id;
            return (
              <li key={project.id} className={`chat-item${current ? " chat-item--active" : ""}`}>
                <Link
                  to={current ? "/chats" : `/chats?project=${project.id}`}
                  className="chat-item__link"
                  aria-current={current ? "true" : undefined}
                  aria-label={current ? `${project.name}: show all chats` : `Show chats in ${project.name}`}
                >
                  <span className="chat-item__title">
                    <span className="projects__icon" aria-hidden="true">
                      {project.icon}
                    </span>{" "}
                    {project.name}
                  </span>
                </Link>
                <Link
                  to={`/projects/${project.id}`}
                  className="icon-button"
                  aria-label={`Edit project ${project.name}`}
                >
                  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                    <path
                      d="M11 2.5l2.5 2.5L6 12.5H3.5V10z"
                      fill="none"
                      stroke="currentColor"
                      strokeWidth="1.5"
                    />
                  </svg>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
