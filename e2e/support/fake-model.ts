import { randomUUID } from "node:crypto";
import { enqueueBehaviours, type Behaviour } from "#e2e/fake-llm/control-client";
import { E2E_FAKE_LLM_URL } from "./environment";

/**
 * Scripting the fake model when two workers share it: every scripted behaviour carries a
 * marker that only this test's message contains, so no other test's request can take it.
 * (The fake answers Parley's "name this chat" requests itself, with a fixed title.)
 */
export function newMarker(label: string): string {
  return `[${label}-${randomUUID().slice(0, 8)}]`;
}

export async function scriptFakeModel(marker: string, ...behaviours: Behaviour[]): Promise<void> {
  await enqueueBehaviours(
    E2E_FAKE_LLM_URL,
    behaviours.map((behaviour) => ({ ...behaviour, match: marker })),
  );
}
