// Failed requests, said in the server's own words: its message, and each field error it named.
import { ApiError } from "../api/client";
import { h } from "./dom";

/** One line for an officer: what the server said, or why it could not be asked. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return "The Cordon server cannot be reached. Check the connection, then try again.";
    if (error.status === 403) return `Your roles do not allow this: ${error.message}`;
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An alert box with the server's message and its field errors ("path: message"). */
export function errorBox(prefix: string, error: unknown): HTMLElement {
  const box = h("div", { class: "form-error", role: "alert", tabindex: "-1" }, h("p", null, `${prefix}: ${describeError(error)}`));
  if (error instanceof ApiError && error.fieldErrors.length) {
    box.append(h("ul", null, error.fieldErrors.map((item) => h("li", null, item.path ? `${item.path}: ${item.message}` : item.message))));
  }
  return box;
}
