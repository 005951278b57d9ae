// Form fields with a label, an optional hint and a place for the server's error about them;
// errors are tied to their control with aria-describedby/aria-invalid and listed in a summary.
import { ApiError } from "../api/client";
import type { FieldError } from "../api/types";
import { h, uid, type Child } from "./dom";
import { describeError } from "./errors";

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field<C extends Control = Control> {
  wrapper: HTMLElement;
  control: C;
  error: HTMLElement;
  hintId: string | null;
}

export function field<C extends Control>(label: Child, control: C, hint?: string): Field<C> {
  if (!control.id) control.id = uid(`field-${control.getAttribute("name") ?? "x"}`);
  const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
  const hintId = hint ? `${control.id}-hint` : null;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  const wrapper = h(
    "div",
    { class: "field" },
    h("label", { for: control.id }, label),
    hint ? h("p", { class: "hint", id: hintId! }, hint) : null,
    control,
    error,
  );
  return { wrapper, control, error, hintId };
}

export function select(name: string, options: [string, string][], value = "", attrs: Record<string, string | boolean> = {}): HTMLSelectElement {
  return h(
    "select",
    { name, ...attrs },
    options.map(([optionValue, text]) => h("option", { value: optionValue, selected: optionValue === value }, text)),
  );
}

/**
 * The errors of one form: a summary box (role=alert) above it and a message at each field the
 * server named. `fields` maps an error path (e.g. "category", "metadata.weight") to its field.
 */
export class FormErrors {
  readonly summary: HTMLElement;
  private fields: Record<string, Field>;

  constructor(fields: Record<string, Field>) {
    this.fields = fields;
    this.summary = h("div", { class: "form-error", role: "alert", tabindex: "-1", hidden: true });
  }

  clear(): void {
    this.summary.hidden = true;
    this.summary.replaceChildren();
    for (const item of Object.values(this.fields)) {
      item.error.hidden = true;
      item.error.textContent = "";
      item.control.removeAttribute("aria-invalid");
      if (item.hintId) item.control.setAttribute("aria-describedby", item.hintId);
      else item.control.removeAttribute("aria-describedby");
    }
  }

  /** Shows `message` and the field errors; returns the errors no field claimed. */
  show(message: string, errors: FieldError[], labels: Record<string, string> = {}): FieldError[] {
    this.clear();
    this.summary.append(h("p", null, message));
    const unclaimed: FieldError[] = [];
    const list = h("ul");
    for (const error of errors) {
      const item = this.fields[error.path];
      if (item) {
        item.error.textContent = error.message;
        item.error.hidden = false;
        item.control.setAttribute("aria-invalid", "true");
        item.control.setAttribute("aria-describedby", [item.hintId, item.error.id].filter(Boolean).join(" "));
      } else {
        unclaimed.push(error);
      }
      const label = labels[error.path];
      list.append(h("li", null, label ? `${label}: ${error.message}` : error.path ? `${error.path}: ${error.message}` : error.message));
    }
    if (errors.length) this.summary.append(list);
    this.summary.hidden = false;
    this.summary.focus();
    return unclaimed;
  }

  /** A failed request: the server's message and its field errors. */
  showError(prefix: string, error: unknown, labels: Record<string, string> = {}): FieldError[] {
    const fieldErrors = error instanceof ApiError ? error.fieldErrors : [];
    // With field errors the server's message repeats the first of them: list them instead.
    return this.show(fieldErrors.length ? `${prefix}:` : `${prefix}: ${describeError(error)}`, fieldErrors, labels);
  }
}

/** Disables the submit button and marks the form busy while `work` runs. */
export async function busy<T>(form: HTMLFormElement, work: () => Promise<T>): Promise<T> {
  const buttons = [...form.querySelectorAll<HTMLButtonElement>("button[type=submit]")];
  for (const button of buttons) button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    for (const button of buttons) button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}
