import type { FieldErrors } from "./forms";

/** What an action answers a script: success, or the reason it refused (with field errors). */
export interface ActionFailure {
  ok: false;
  error: string;
  fieldErrors?: FieldErrors;
  /** Made in the browser: the submission never reached the server (see unreachable.ts). */
  unreachable?: true;
  /** The database did not answer (a 503): re-running the loaders now would fail the same way. */
  unavailable?: true;
}

export interface ActionSuccess {
  ok: true;
}

export type ActionResult = ActionFailure | ActionSuccess;

/** A chat shared just now: its link, shown once (only a hash of its token is kept). */
export interface SharedLinkCreated {
  ok: true;
  sharedUrl: string;
}
