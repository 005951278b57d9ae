// The risk-profile editor: the condition in the profile language with line numbers, the
// metadata, the server's diagnostics at their line and column (a 422 names "source:LINE:COL"),
// the versions and their four-eyes workflow (propose, approve by another analyst, deactivate),
// a backtest over stored declarations and the profile's recorded performance.
import { api, ApiError } from "../../api/client";
import type { BacktestReport, FieldError, Profile, ProfilePerformance } from "../../api/types";
import { announce, append, h, uid, type Child } from "../../ui/dom";
import { describeError, errorBox } from "../../ui/errors";
import { busy, field, FormErrors, select } from "../../ui/form";
import { formatNumber, humanise, timeElement } from "../../ui/format";
import type { PageContext } from "../page";
import { heading, renderNotFound } from "../status";
import { statusBadge } from "./list";

const RISK_AREAS = ["security_safety", "fiscal", "drugs", "ipr", "cites", "weapons", "health", "environment", "sanctions", "other"];

const EXAMPLE = `# Cigarettes from Viet Nam or the Emirates to a consignee first seen less than a month ago.
goods.exists(g, g.hs.startsWith("2402") && g.origin in ["VN", "AE"])
  && consignee.first_seen_days < 30
`;

const LABELS: Record<string, string> = {
  id: "Profile id",
  "metadata.title": "Title",
  "metadata.risk_area": "Risk area",
  "metadata.weight": "Weight",
  "metadata.minimum_channel": "At least channel",
  "metadata.owner": "Owner",
  "metadata.valid_from": "Valid from",
  "metadata.valid_to": "Valid to",
  "metadata.rationale": "Rationale",
};

export interface SourceDiagnostic {
  line: number;
  column: number;
  message: string;
}

/** "source:3:14" → {line: 3, column: 14}; anything else is not a source position. */
export function sourcePosition(path: string): { line: number; column: number } | null {
  const match = /^source:(\d+):(\d+)$/.exec(path);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/** The offset in `text` of 1-based line and column (clamped to the text). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf("\n", offset);
  const lineLength = (end < 0 ? text.length : end) - offset;
  return offset + Math.max(0, Math.min(column - 1, lineLength));
}

/** A textarea with a line-number gutter that marks the lines with diagnostics. */
function sourceEditor(initial: string) {
  const id = uid("profile-source");
  const textarea = h("textarea", {
    id,
    name: "source",
    class: "code-input",
    rows: 12,
    spellcheck: "false",
    autocomplete: "off",
    autocapitalize: "off",
    wrap: "off",
    "aria-describedby": `${id}-hint`,
  });
  textarea.value = initial;
  const gutter = h("div", { class: "code-gutter", "aria-hidden": "true" });
  let marked = new Set<number>();
  const drawGutter = () => {
    const lines = textarea.value.split("\n").length;
    const numbers: HTMLElement[] = [];
    for (let line = 1; line <= Math.max(lines, 1); line += 1) {
      numbers.push(h("div", { class: marked.has(line) ? "gutter-line gutter-error" : "gutter-line" }, String(line)));
    }
    gutter.replaceChildren(...numbers);
    gutter.scrollTop = textarea.scrollTop;
  };
  textarea.addEventListener("input", drawGutter);
  textarea.addEventListener("scroll", () => {
    gutter.scrollTop = textarea.scrollTop;
  });
  drawGutter();
  return {
    textarea,
    element: h("div", { class: "code-editor" }, gutter, textarea),
    mark(lines: number[]) {
      marked = new Set(lines);
      drawGutter();
    },
    goTo(line: number, column: number) {
      const offset = offsetOf(textarea.value, line, column);
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
      // Bring the line into view: the textarea scrolls by lines of its computed line height.
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
      textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
    },
  };
}

function diagnosticsList(source: string, diagnostics: SourceDiagnostic[], goTo: (line: number, column: number) => void): HTMLElement {
  const lines = source.split("\n");
  return h(
    "ol",
    { class: "diagnostics", id: "profile-diagnostics" },
    diagnostics.map((d) => {
      const text = lines[d.line - 1] ?? "";
      return h(
        "li",
        { class: "diagnostic", "data-line": String(d.line), "data-column": String(d.column) },
        h(
          "button",
          { type: "button", class: "link-button", onclick: () => goTo(d.line, d.column), "aria-label": `Go to line ${d.line}, column ${d.column}: ${d.message}` },
          `Line ${d.line}, column ${d.column}`,
        ),
        `: ${d.message}`,
        h("pre", { class: "excerpt", "aria-hidden": "true" }, `${text}\n${" ".repeat(Math.max(0, d.column - 1))}^`),
      );
    }),
  );
}

function sortedVersions(versions: Profile[]): Profile[] {
  return [...versions].sort((a, b) => b.version - a.version);
}

export async function render(context: PageContext) {
  const { root, params, signal, navigate, session, query } = context;
  const creating = params.id === undefined;
  let versions: Profile[] = [];
  let performance: ProfilePerformance | null = null;
  let performanceError: unknown = null;
  if (!creating) {
    try {
      const [loaded, perf] = await Promise.all([
        api.get<{ id: string; versions: Profile[] }>(`/api/v1/profiles/${encodeURIComponent(params.id!)}`, { signal }),
        api.get<ProfilePerformance>(`/api/v1/profiles/${encodeURIComponent(params.id!)}/performance`, { signal }).catch((error: unknown) => {
          if (error instanceof ApiError && error.status !== 401) {
            performanceError = error;
            return null;
          }
          throw error;
        }),
      ]);
      versions = sortedVersions(loaded.versions);
      performance = perf;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        context.setTitle(renderNotFound(root));
        return;
      }
      throw error;
    }
  }
  const latest = versions[0];
  const title = creating ? "New risk profile" : `Risk profile ${latest!.id}`;
  context.setTitle(title);
  const metadata = latest?.metadata ?? {};

  // --- the editor form
  const idField = field(
    "Profile id",
    h("input", { type: "text", name: "id", autocomplete: "off", spellcheck: "false", value: latest?.id ?? "", readonly: !creating }),
    creating ? "A stable name, e.g. DRG-0042." : "The id of a profile does not change.",
  );
  const titleField = field("Title", h("input", { type: "text", name: "title", autocomplete: "off", value: metadata.title ?? "" }));
  const areaField = field(
    "Risk area",
    select("risk_area", RISK_AREAS.map((area) => [area, humanise(area)]), metadata.risk_area ?? "other"),
  );
  const weightField = field(
    "Weight",
    h("input", { type: "number", name: "weight", min: "0", step: "any", value: String(metadata.weight ?? 1), inputmode: "decimal" }),
    "Added to the risk score when the profile fires.",
  );
  const channelField = field(
    "At least channel",
    select("minimum_channel", [["yellow", "Yellow"], ["red", "Red"], ["green", "Green (score only)"]], metadata.minimum_channel ?? "yellow"),
  );
  const ownerField = field("Owner", h("input", { type: "text", name: "owner", autocomplete: "off", value: metadata.owner ?? session.user.username }));
  const fromField = field("Valid from", h("input", { type: "date", name: "valid_from", value: metadata.valid_from ?? "" }));
  const toField = field("Valid to", h("input", { type: "date", name: "valid_to", value: metadata.valid_to ?? "" }));
  const rationaleField = field("Rationale", h("input", { type: "text", name: "rationale", autocomplete: "off", value: metadata.rationale ?? "" }));

  const editor = sourceEditor(latest?.source ?? EXAMPLE);
  const sourceHint = h(
    "p",
    { class: "hint", id: `${editor.textarea.id}-hint` },
    "The condition in the profile language (docs/rules.md). Ctrl+Enter saves. The server checks it before saving and points at each problem.",
  );
  const diagnosticsSlot = h("div", { "aria-live": "polite" });
  const errors = new FormErrors({
    id: idField,
    "metadata.title": titleField,
    "metadata.risk_area": areaField,
    "metadata.weight": weightField,
    "metadata.minimum_channel": channelField,
    "metadata.owner": ownerField,
    "metadata.valid_from": fromField,
    "metadata.valid_to": toField,
    "metadata.rationale": rationaleField,
  });
  const saved = query.get("saved");
  const savedNotice = saved ? h("p", { class: "notice", role: "status", id: "profile-saved" }, `Version ${saved} was saved as a draft. Propose it for approval when it is ready.`) : null;

  const form = h(
    "form",
    { class: "profile-form", id: "profile-form", novalidate: true, "aria-label": "Profile" },
    errors.summary,
    h(
      "div",
      { class: "profile-grid" },
      h(
        "div",
        { class: "profile-source" },
        h("label", { for: editor.textarea.id, class: "field-label" }, "Condition"),
        sourceHint,
        editor.element,
        diagnosticsSlot,
      ),
      h(
        "div",
        { class: "profile-meta" },
        idField.wrapper,
        titleField.wrapper,
        h("div", { class: "form-pair" }, areaField.wrapper, channelField.wrapper),
        h("div", { class: "form-pair" }, weightField.wrapper, ownerField.wrapper),
        h("div", { class: "form-pair" }, fromField.wrapper, toField.wrapper),
        rationaleField.wrapper,
      ),
    ),
    h(
      "div",
      { class: "form-actions" },
      h("button", { type: "submit", class: "button button-primary" }, creating ? "Save draft" : "Save as new draft"),
      h("a", { href: "#/profiles", class: "button button-quiet" }, "Back to profiles"),
    ),
  );
  editor.textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  const showDiagnostics = (fieldErrors: FieldError[]) => {
    const diagnostics: SourceDiagnostic[] = [];
    const other: FieldError[] = [];
    for (const error of fieldErrors) {
      const position = sourcePosition(error.path);
      if (position) diagnostics.push({ ...position, message: error.message });
      else other.push(error);
    }
    editor.mark(diagnostics.map((d) => d.line));
    if (diagnostics.length) {
      editor.textarea.setAttribute("aria-invalid", "true");
      editor.textarea.setAttribute("aria-describedby", `${editor.textarea.id}-hint profile-diagnostics`);
      diagnosticsSlot.replaceChildren(
        h("p", { class: "field-error" }, diagnostics.length === 1 ? "1 problem in the condition:" : `${diagnostics.length} problems in the condition:`),
        diagnosticsList(editor.textarea.value, diagnostics, editor.goTo),
      );
    } else {
      editor.textarea.removeAttribute("aria-invalid");
      editor.textarea.setAttribute("aria-describedby", `${editor.textarea.id}-hint`);
      diagnosticsSlot.replaceChildren();
    }
    return { diagnostics, other };
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = idField.control.value.trim();
    if (creating && !id) {
      errors.show("The profile was not saved.", [{ path: "id", rule: "required", message: "Give the profile an id, e.g. DRG-0042." }], LABELS);
      return;
    }
    const weight = weightField.control.value.trim();
    const meta: Record<string, unknown> = {
      title: titleField.control.value.trim(),
      risk_area: areaField.control.value,
      minimum_channel: channelField.control.value,
      owner: ownerField.control.value.trim(),
      rationale: rationaleField.control.value.trim(),
    };
    if (weight) meta.weight = Number(weight);
    if (fromField.control.value) meta.valid_from = fromField.control.value;
    if (toField.control.value) meta.valid_to = toField.control.value;
    await busy(form, async () => {
      try {
        errors.clear();
        showDiagnostics([]);
        const stored = creating
          ? await api.post<Profile>("/api/v1/profiles", { id, source: editor.textarea.value, metadata: meta })
          : await api.put<Profile>(`/api/v1/profiles/${encodeURIComponent(latest!.id)}`, { source: editor.textarea.value, metadata: meta });
        navigate(`/profiles/${encodeURIComponent(stored.id)}?saved=${stored.version}`, { replace: !creating });
      } catch (error) {
        if (error instanceof ApiError && error.status === 422) {
          const { diagnostics, other } = showDiagnostics(error.fieldErrors);
          errors.show(
            diagnostics.length ? "The profile was not saved: the server found problems in the condition." : "The profile was not saved.",
            other,
            LABELS,
          );
          if (diagnostics.length) editor.goTo(diagnostics[0]!.line, diagnostics[0]!.column);
        } else if (!(error instanceof ApiError && error.status === 401)) {
          errors.showError("The profile was not saved", error, LABELS);
        }
      }
    });
  });

  append(root, [
    h("p", { class: "breadcrumb" }, h("a", { href: "#/profiles" }, "← Risk profiles")),
    h("div", { class: "page-head" }, heading(title), latest ? statusBadge(latest.status) : null, latest ? h("span", { class: "muted" }, `latest version ${latest.version}`) : null),
    savedNotice,
    form,
    creating ? null : versionsPanel(latest!.id, versions, session.user.username, navigate),
    creating ? null : backtestPanel(latest!.id, versions),
    creating ? null : performancePanel(performance, performanceError),
  ]);
}

function panel(id: string, title: string, ...content: Child[]): HTMLElement {
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

function versionsPanel(id: string, versions: Profile[], me: string, navigate: PageContext["navigate"]): HTMLElement {
  const messages = h("div", { "aria-live": "polite" });
  const act = async (button: HTMLButtonElement, path: string, done: string) => {
    button.disabled = true;
    messages.replaceChildren();
    try {
      await api.post<Profile>(path, {});
      announce(done);
      navigate(`/profiles/${encodeURIComponent(id)}?done=${encodeURIComponent(done)}`, { replace: true });
    } catch (error) {
      messages.replaceChildren(errorBox("Not done", error));
      (messages.firstElementChild as HTMLElement | null)?.focus();
      button.disabled = false;
    }
  };
  const doneNote = new URLSearchParams(window.location.hash.split("?")[1] ?? "").get("done");
  return panel(
    "versions-title",
    "Versions",
    doneNote ? h("p", { class: "notice", role: "status" }, doneNote) : null,
    messages,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data-table", id: "versions-table" },
        h("caption", { class: "visually-hidden" }, "Versions of the profile, newest first"),
        h("thead", null, h("tr", null, ["Version", "State", "Written by", "Proposed by", "Approved by", "Created", "Condition", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          null,
          versions.map((version) => {
            const actions: HTMLElement[] = [];
            const base = `/api/v1/profiles/${encodeURIComponent(id)}`;
            if (version.status === "draft") {
              const button = h("button", { type: "button", class: "button" }, `Propose v${version.version}`);
              button.addEventListener("click", () => void act(button, `${base}/versions/${version.version}/propose`, `Version ${version.version} was proposed for approval.`));
              actions.push(button);
            }
            if (version.status === "proposed") {
              const own = version.author === me || version.proposed_by === me;
              const button = h(
                "button",
                { type: "button", class: "button", disabled: own, title: own ? "A second analyst approves (four eyes)" : null },
                `Approve v${version.version}`,
              );
              button.addEventListener("click", () => void act(button, `${base}/versions/${version.version}/approve`, `Version ${version.version} is active.`));
              actions.push(button);
              if (own) actions.push(h("span", { class: "hint" }, "Another analyst approves."));
            }
            if (version.status === "active") {
              const button = h("button", { type: "button", class: "button" }, "Deactivate");
              button.addEventListener("click", () => void act(button, `${base}/deactivate`, `The profile was deactivated.`));
              actions.push(button);
            }
            return h(
              "tr",
              { "data-version": String(version.version) },
              h("td", { class: "num" }, String(version.version)),
              h("td", null, statusBadge(version.status)),
              h("td", null, version.author || "—"),
              h("td", null, version.proposed_by || "—"),
              h("td", null, version.approved_by || "—"),
              h("td", { class: "nowrap" }, timeElement(version.created_at)),
              h("td", null, h("details", null, h("summary", null, "Show"), h("pre", { class: "excerpt" }, version.source))),
              h("td", null, h("div", { class: "row-actions" }, actions)),
            );
          }),
        ),
      ),
    ),
  );
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function backtestPanel(id: string, versions: Profile[]): HTMLElement {
  const yearAgo = new Date();
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  const from = field("Lodged from", h("input", { type: "date", name: "from", value: isoDay(yearAgo), required: true }), "The first day of the period.");
  const to = field("Lodged before", h("input", { type: "date", name: "to" }), "Empty: up to now.");
  const version = field(
    "Version",
    select("version", versions.map((v) => [String(v.version), `v${v.version} (${humanise(v.status)})`]), String(versions[0]?.version ?? "")),
  );
  const errors = new FormErrors({ from, to, version });
  const result = h("div", { id: "backtest-result", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "inline-form", id: "backtest-form", novalidate: true, "aria-labelledby": "backtest-title" },
    errors.summary,
    h("div", { class: "form-row" }, from.wrapper, to.wrapper, version.wrapper),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button button-primary" }, "Run backtest")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!from.control.value) {
      errors.show("The backtest did not run.", [{ path: "from", rule: "required", message: "Choose the first day of the period." }], { from: "Lodged from" });
      return;
    }
    await busy(form, async () => {
      result.replaceChildren(h("p", { class: "loading", role: "status" }, "Running the backtest…"));
      try {
        errors.clear();
        const started = performance.now();
        const report = await api.post<BacktestReport>(`/api/v1/profiles/${encodeURIComponent(id)}/backtest`, {
          from: from.control.value,
          to: to.control.value || undefined,
          version: Number(version.control.value) || undefined,
        });
        const seconds = (performance.now() - started) / 1000;
        result.replaceChildren(backtestReport(report, seconds));
        announce(`Backtest done: ${report.selected} of ${report.declarations} declarations selected.`);
      } catch (error) {
        result.replaceChildren();
        errors.showError("The backtest did not run", error, { from: "Lodged from", to: "Lodged before", version: "Version" });
      }
    });
  });
  return panel("backtest-title", "Backtest", h("p", { class: "hint" }, "Runs a version (a draft too) over the stored declarations of a period; nothing is changed."), form, result);
}

function percent(value: number | undefined): string {
  return value === undefined || value === null || Number.isNaN(value) ? "—" : `${formatNumber(Math.round(value * 1000) / 10)} %`;
}

function backtestReport(report: BacktestReport, seconds: number): HTMLElement {
  const rate = report.declarations ? report.selected / report.declarations : 0;
  return h(
    "div",
    { class: "backtest-report" },
    h("p", null, h("strong", null, `Version ${report.version}, ${report.from} to ${report.to || "now"}`), h("span", { class: "muted" }, ` (${seconds.toFixed(1)} s)`)),
    h(
      "dl",
      { class: "facts" },
      (
        [
          ["Declarations", formatNumber(report.declarations)],
          ["Selected", `${formatNumber(report.selected)} (${percent(rate)})`],
          ["Of those controlled", formatNumber(report.controlled)],
          ["Irregular", formatNumber(report.irregular)],
          ["Hit rate", report.controlled ? percent(report.hit_rate) : "— (none controlled)"],
        ] as [string, string][]
      ).map(([term, value]) => h("div", null, h("dt", null, term), h("dd", { "data-fact": term }, value))),
    ),
    report.sample.length
      ? h(
          "p",
          null,
          "Sample of selected declarations: ",
          report.sample.slice(0, 20).map((declaration, index) => [index ? ", " : "", h("a", { href: `#/declarations/${declaration}` }, `#${declaration}`)]),
        )
      : null,
  );
}

function performancePanel(performance: ProfilePerformance | null, error: unknown): HTMLElement {
  if (!performance) {
    return panel("performance-title", "Performance", h("p", { class: "muted" }, error ? `Not available: ${describeError(error)}` : "Not available."));
  }
  return panel(
    "performance-title",
    "Performance",
    h("p", { class: "hint" }, "From the control results recorded on declarations this profile selected."),
    h(
      "dl",
      { class: "facts" },
      (
        [
          ["Selections", formatNumber(performance.selections)],
          ["Red", formatNumber(performance.red)],
          ["Controlled", formatNumber(performance.controlled)],
          ["Irregular", formatNumber(performance.irregular)],
          ["Seizures", formatNumber(performance.seizures)],
          ["Hit rate", performance.controlled ? percent(performance.hit_rate) : "—"],
          ["Yield", performance.selections ? percent(performance.yield) : "—"],
        ] as [string, string][]
      ).map(([term, value]) => h("div", null, h("dt", null, term), h("dd", null, value))),
    ),
  );
}
