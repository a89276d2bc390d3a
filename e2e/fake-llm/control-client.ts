/**
 * Typed helpers for Playwright specs to script a fake OpenAI server running in another
 * process (cli.ts). `controlBaseUrl` may be the server's origin or its /v1 base URL.
 */
import type { Behaviour, RecordedRequest } from "./behaviours";

export type { Behaviour, RecordedRequest } from "./behaviours";

export async function enqueueBehaviours(controlBaseUrl: string, behaviours: Behaviour[]): Promise<void> {
  await call(controlBaseUrl, "POST", "enqueue", behaviours);
}

export async function setDefaultBehaviour(controlBaseUrl: string, behaviour: Behaviour): Promise<void> {
  await call(controlBaseUrl, "POST", "default", behaviour);
}

export async function resetFake(controlBaseUrl: string): Promise<void> {
  await call(controlBaseUrl, "POST", "reset", {});
}

export async function recordedRequests(controlBaseUrl: string): Promise<RecordedRequest[]> {
  return (await call(controlBaseUrl, "GET", "requests")) as RecordedRequest[];
}

async function call(
  controlBaseUrl: string,
  method: "GET" | "POST",
  action: string,
  body?: unknown,
): Promise<unknown> {
  const origin = controlBaseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const response = await fetch(`${origin}/__control/${action}`, {
    method,
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  // Fail loudly: a spec that silently runs against the default reply is hard to debug.
  if (!response.ok) throw new Error(`fake-openai control ${action} failed (${response.status}): ${text}`);
  return text ? JSON.parse(text) : undefined;
}
