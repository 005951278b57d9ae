// Sign-in. Bundled with the shell: it is the first thing most loads show.
import { ApiError } from "../api/client";
import type { Session } from "../api/types";
import { signIn } from "../session";
import { h, replaceChildren } from "../ui/dom";
import { formatTimestamp } from "../ui/format";
import { heading } from "./status";

export function renderSignIn(root: HTMLElement, onSignedIn: (session: Session) => void, notice?: string): string {
  const title = "Sign in";
  const error = h("div", { class: "form-error", id: "signin-error", role: "alert", hidden: true });
  const username = h("input", {
    id: "signin-username",
    name: "username",
    type: "text",
    autocomplete: "username",
    autocapitalize: "none",
    spellcheck: "false",
    required: true,
  });
  const password = h("input", {
    id: "signin-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const submit = h("button", { type: "submit", class: "button button-primary" }, "Sign in");

  const showError = (message: string, code = "") => {
    error.textContent = message;
    error.dataset.code = code;
    error.hidden = false;
    username.setAttribute("aria-describedby", "signin-error");
    password.setAttribute("aria-describedby", "signin-error");
  };

  const form = h(
    "form",
    { class: "signin-form", novalidate: true, "aria-labelledby": "signin-title" },
    error,
    h("div", { class: "field" }, h("label", { for: "signin-username" }, "Username"), username),
    h("div", { class: "field" }, h("label", { for: "signin-password" }, "Password"), password),
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!username.value.trim() || !password.value) {
      showError("Enter your username and password.");
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = "Signing in…";
    form.setAttribute("aria-busy", "true");
    try {
      const session = await signIn(username.value.trim(), password.value);
      onSignedIn(session);
    } catch (cause) {
      password.value = "";
      if (cause instanceof ApiError && cause.status === 401) {
        showError("The username or password is not right. Repeated failures lock the account for a while.");
      } else if (cause instanceof ApiError && cause.status === 423) {
        // The server's message names the time the lock ends; say it in the console's own words.
        const until = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})/.exec(cause.message)?.[0];
        showError(
          `This account is locked after repeated failed sign-ins. ${until ? `Try again after ${formatTimestamp(until)}` : "Try again later"}, or ask an administrator to unlock it.`,
          "locked",
        );
      } else if (cause instanceof ApiError && cause.status === 0) {
        showError("The Cordon server cannot be reached. Try again in a moment.");
      } else if (cause instanceof ApiError) {
        showError(`Sign-in failed: ${cause.message}`);
      } else {
        showError("Sign-in failed.");
      }
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = "Sign in";
      form.removeAttribute("aria-busy");
    }
  });

  const title1 = heading("Sign in to Cordon");
  title1.id = "signin-title";
  replaceChildren(
    root,
    h(
      "section",
      { class: "signin", "data-page": "sign-in" },
      h(
        "div",
        { class: "signin-card" },
        h("p", { class: "signin-brand", "aria-hidden": "true" }, h("span", { class: "brand-mark" }, "◆"), " Cordon"),
        title1,
        h("p", { class: "muted" }, "Customs risk management and cargo supervision"),
        notice ? h("p", { class: "notice", role: "status" }, notice) : null,
        form,
      ),
    ),
  );
  return title;
}
