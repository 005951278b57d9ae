// Administration: create a user, or change one's name, roles, offices, password or state.
import { api, ApiError } from "../../api/client";
import type { FieldError, Role, UserRecord } from "../../api/types";
import { ALL_ROLES, ROLE_LABELS } from "../../auth/roles";
import { append, h, uid } from "../../ui/dom";
import type { PageContext } from "../page";
import { heading, renderNotFound } from "../status";

/** "RO000100, ro000200  BG001000" → ["RO000100", "RO000200", "BG001000"] */
export function parseOffices(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((part) => part.trim().toUpperCase()).filter(Boolean))];
}

const FIELD_LABELS: Record<string, string> = {
  username: "Username",
  display_name: "Full name",
  password: "Password",
  offices: "Offices",
  roles: "Roles",
  disabled: "State",
};

interface FieldHandle {
  wrapper: HTMLElement;
  control: HTMLElement;
  error: HTMLElement;
}

function fieldWithError(label: string, control: HTMLInputElement, hint?: string): FieldHandle {
  const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
  const hintElement = hint ? h("p", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hint) control.setAttribute("aria-describedby", `${control.id}-hint`);
  const wrapper = h("div", { class: "field" }, h("label", { for: control.id }, label), hintElement, control, error);
  return { wrapper, control, error };
}

export async function render(context: PageContext) {
  const { root, params, signal, navigate, session } = context;
  const editing = params.username !== undefined;
  let existing: UserRecord | undefined;
  if (editing) {
    const { items } = await api.get<{ items: UserRecord[] }>("/api/v1/users", { signal });
    existing = items.find((user) => user.username === params.username);
    if (!existing) {
      context.setTitle(renderNotFound(root));
      return;
    }
  }
  const title = editing ? `Edit user ${existing!.username}` : "New user";
  context.setTitle(title);

  const username = h("input", {
    id: uid("user-username"),
    name: "username",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    value: existing?.username ?? "",
    readonly: editing,
  });
  const displayName = h("input", {
    id: uid("user-display-name"),
    name: "display_name",
    type: "text",
    autocomplete: "off",
    required: true,
    value: existing?.display_name ?? "",
  });
  const password = h("input", {
    id: uid("user-password"),
    name: "password",
    type: "password",
    autocomplete: "new-password",
    required: !editing,
  });
  const offices = h("input", {
    id: uid("user-offices"),
    name: "offices",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    value: existing?.offices.join(", ") ?? "",
  });

  const fields: Record<string, FieldHandle> = {
    username: fieldWithError("Username", username, editing ? "A username cannot be changed." : "Letters, digits, dots, dashes or underscores."),
    display_name: fieldWithError("Full name", displayName),
    password: fieldWithError(editing ? "New password" : "Password", password, editing ? "Leave empty to keep the current password." : undefined),
    offices: fieldWithError("Offices", offices, "Customs office reference numbers, separated by commas (e.g. NL000396, BE101000). Empty: all offices."),
  };

  const rolesError = h("p", { class: "field-error", id: uid("roles-error"), hidden: true });
  const roleBoxes = ALL_ROLES.map((role) => {
    const id = uid(`role-${role}`);
    const box = h("input", { type: "checkbox", id, name: "roles", value: role, checked: existing?.roles.includes(role) ?? false });
    return { role, box, element: h("div", { class: "check" }, box, h("label", { for: id }, ROLE_LABELS[role])) };
  });
  const rolesFieldset = h(
    "fieldset",
    { class: "roles-fieldset", "aria-describedby": rolesError.id },
    h("legend", null, "Roles"),
    h("div", { class: "check-grid" }, roleBoxes.map((entry) => entry.element)),
    rolesError,
  );

  const isSelf = editing && existing!.username === session.user.username;
  const disabledBox = h("input", { type: "checkbox", id: uid("user-disabled"), name: "disabled", checked: existing?.disabled ?? false, disabled: isSelf });
  const stateFieldset = editing
    ? h(
        "fieldset",
        null,
        h("legend", null, "State"),
        h(
          "div",
          { class: "check" },
          disabledBox,
          h("label", { for: disabledBox.id }, "Disabled — the user cannot sign in and their sessions end"),
        ),
        isSelf ? h("p", { class: "hint" }, "You cannot disable your own account.") : null,
      )
    : null;

  const summary = h("div", { class: "form-error", role: "alert", tabindex: "-1", hidden: true });
  const submit = h("button", { type: "submit", class: "button button-primary" }, editing ? "Save changes" : "Create user");

  const clearErrors = () => {
    summary.hidden = true;
    summary.replaceChildren();
    for (const field of Object.values(fields)) {
      field.error.hidden = true;
      field.control.removeAttribute("aria-invalid");
      const hint = field.control.getAttribute("aria-describedby")?.split(" ").filter((id) => id.endsWith("-hint")) ?? [];
      if (hint.length) field.control.setAttribute("aria-describedby", hint.join(" "));
      else field.control.removeAttribute("aria-describedby");
    }
    rolesError.hidden = true;
  };

  const showErrors = (message: string, errors: FieldError[]) => {
    summary.replaceChildren(h("p", null, message));
    const list = h("ul");
    for (const error of errors) {
      const name = error.path.replace(/^body\./, "").replace(/\[\d+\]$/, "");
      const field = fields[name];
      if (field) {
        field.error.textContent = error.message;
        field.error.hidden = false;
        field.control.setAttribute("aria-invalid", "true");
        field.control.setAttribute("aria-describedby", `${field.control.getAttribute("aria-describedby") ?? ""} ${field.error.id}`.trim());
      } else if (name === "roles") {
        rolesError.textContent = error.message;
        rolesError.hidden = false;
      }
      const label = FIELD_LABELS[name];
      list.append(h("li", null, label ? `${label}: ${error.message}` : `${error.path}: ${error.message}`));
    }
    if (errors.length) summary.append(list);
    summary.hidden = false;
    summary.focus();
  };

  const form = h(
    "form",
    { class: "user-form", novalidate: true },
    summary,
    h("div", { class: "form-columns" }, h("div", null, fields.username!.wrapper, fields.display_name!.wrapper, fields.password!.wrapper, fields.offices!.wrapper), h("div", null, rolesFieldset, stateFieldset)),
    h("div", { class: "form-actions" }, submit, h("a", { href: "#/admin/users", class: "button button-quiet" }, "Cancel")),
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const roles = roleBoxes.filter((entry) => entry.box.checked).map((entry) => entry.role) as Role[];
    const local: FieldError[] = [];
    if (!editing && !username.value.trim()) local.push({ path: "username", rule: "required", message: "Enter a username." });
    if (!displayName.value.trim()) local.push({ path: "display_name", rule: "required", message: "Enter the person's full name." });
    if (!editing && !password.value) local.push({ path: "password", rule: "required", message: "Enter a password." });
    if (roles.length === 0) local.push({ path: "roles", rule: "required", message: "Choose at least one role." });
    if (local.length) {
      showErrors("Correct the fields below.", local);
      return;
    }
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      if (editing) {
        const patch: Record<string, unknown> = {
          display_name: displayName.value.trim(),
          roles,
          offices: parseOffices(offices.value),
        };
        if (!isSelf) patch.disabled = disabledBox.checked;
        if (password.value) patch.password = password.value;
        await api.patch(`/api/v1/users/${encodeURIComponent(existing!.username)}`, patch);
        navigate(`/admin/users?saved=${encodeURIComponent(existing!.username)}`);
      } else {
        await api.post("/api/v1/users", {
          username: username.value.trim(),
          password: password.value,
          display_name: displayName.value.trim(),
          roles,
          offices: parseOffices(offices.value),
        });
        navigate(`/admin/users?created=${encodeURIComponent(username.value.trim())}`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        showErrors("The user was not saved.", [{ path: "username", rule: "unique", message: "This username is taken." }]);
      } else if (error instanceof ApiError && error.status !== 401) {
        showErrors(`The user was not saved: ${error.message}`, error.fieldErrors);
      } else if (!(error instanceof ApiError)) {
        showErrors("The user was not saved.", []);
      }
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });

  append(root, [
    h("p", { class: "breadcrumb" }, h("a", { href: "#/admin/users" }, "← Users")),
    h("div", { class: "page-head" }, heading(title)),
    form,
  ]);
}
