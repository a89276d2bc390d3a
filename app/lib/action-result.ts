import type { FieldErrors } from "./forms";

/** What an action answers a script: success, or the reason it refused (with field errors). */
export interface ActionFailure {
  ok: false;
  error: string;
  fieldErrors?: FieldErrors;
}

export interface ActionSuccess {
  ok: true;
}

export type ActionResult = ActionFailure | ActionSuccess;
