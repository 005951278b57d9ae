// Pages the shell shows itself: refused, not found, failure. Small, so bundled with the shell.
import { ApiError } from "../api/client";
import { h, replaceChildren } from "../ui/dom";

export function heading(text: string): HTMLHeadingElement {
  return h("h1", { tabindex: "-1", class: "page-title" }, text);
}

export function renderRefused(root: HTMLElement, detail?: string): string {
  const title = "Access refused";
  replaceChildren(
    root,
    h(
      "section",
      { class: "status-page refused", "data-page": "refused" },
      heading(title),
      h("p", null, detail ?? "Your roles do not allow this page. If your work needs it, ask an administrator to change your roles."),
      h("p", null, h("a", { href: "#/" }, "Go to your start page")),
    ),
  );
  return title;
}

export function renderNotFound(root: HTMLElement): string {
  const title = "Page not found";
  replaceChildren(
    root,
    h(
      "section",
      { class: "status-page", "data-page": "not-found" },
      heading(title),
      h("p", null, "There is no page at this address."),
      h("p", null, h("a", { href: "#/" }, "Go to your start page")),
    ),
  );
  return title;
}

export function renderFailure(root: HTMLElement, error: unknown, retry?: () => void): string {
  const title = "Something went wrong";
  const message =
    error instanceof ApiError
      ? error.status === 0
        ? "The Cordon server cannot be reached. Check that it is running, then try again."
        : `${error.message} (${error.code})`
      : "The page failed to load.";
  replaceChildren(
    root,
    h(
      "section",
      { class: "status-page", "data-page": "failure" },
      heading(title),
      h("p", { role: "alert" }, message),
      retry ? h("p", null, h("button", { type: "button", class: "button", onclick: retry }, "Try again")) : null,
    ),
  );
  return title;
}

export function renderHome(root: HTMLElement, name: string): string {
  const title = "Welcome";
  replaceChildren(
    root,
    h(
      "section",
      { class: "status-page", "data-page": "home" },
      heading(`Welcome, ${name}`),
      h("p", null, "None of the console's pages is open to your roles yet. Ask an administrator if you expected to see one."),
    ),
  );
  return title;
}
