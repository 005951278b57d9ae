// Watch lists: the active lists, every import with who made it and what changed, and an import
// form (the file's bytes go to PUT /api/v1/watchlists/{list}; the server re-screens the last 30
// days of declarations against the changed entries and says how many new hits that raised).
import { api, ApiError } from "../../api/client";
import type { WatchlistImportReport, Watchlists } from "../../api/types";
import { may } from "../../auth/roles";
import { announce, append, h } from "../../ui/dom";
import { describeError } from "../../ui/errors";
import { busy, field, FormErrors, select } from "../../ui/form";
import { formatNumber, timeElement } from "../../ui/format";
import type { PageContext } from "../page";
import { heading } from "../status";

const FORMATS: [string, string][] = [
  ["cordon-csv", "Cordon CSV"],
  ["cordon-ndjson", "Cordon NDJSON"],
  ["un-xml", "UN consolidated list (XML)"],
  ["eu-xml", "EU financial sanctions (XML)"],
];

function formatFor(name: string): string {
  if (/\.csv$/i.test(name)) return "cordon-csv";
  if (/\.(nd)?json$/i.test(name)) return "cordon-ndjson";
  return "";
}

export async function render(context: PageContext) {
  const { root, signal, session, navigate, query } = context;
  context.setTitle("Watch lists");
  const lists = await api.get<Watchlists>("/api/v1/watchlists", { signal });
  const imports = [...lists.imports].sort((a, b) => b.imported_at.localeCompare(a.imported_at));
  const justImported = query.get("imported");

  const active = lists.lists.length
    ? h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "data-table", id: "lists-table" },
          h("caption", { class: "visually-hidden" }, "Active watch lists"),
          h("thead", null, h("tr", null, ["List", "Version", "Entries"].map((c) => h("th", { scope: "col", class: c === "List" ? null : "num" }, c)))),
          h(
            "tbody",
            null,
            lists.lists.map((list) =>
              h("tr", { "data-list": list.list }, h("td", { class: "mono" }, list.list), h("td", { class: "num" }, String(list.version)), h("td", { class: "num" }, formatNumber(list.entity_count))),
            ),
          ),
        ),
      )
    : h("p", { class: "empty" }, "No watch list is loaded: declarations are not screened.");

  const history = imports.length
    ? h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "data-table", id: "imports-table" },
          h("caption", { class: "visually-hidden" }, "Imports, newest first"),
          h(
            "thead",
            null,
            h("tr", null, ["When", "List", "Version", "By", "Source", "Added", "Changed", "Removed", "Entries"].map((c) => h("th", { scope: "col", class: ["Version", "Added", "Changed", "Removed", "Entries"].includes(c) ? "num" : null }, c))),
          ),
          h(
            "tbody",
            null,
            imports.map((item) =>
              h(
                "tr",
                { "data-list": item.list, "data-version": String(item.version) },
                h("td", { class: "nowrap" }, timeElement(item.imported_at)),
                h("td", { class: "mono" }, item.list),
                h("td", { class: "num" }, String(item.version)),
                h("td", null, item.actor),
                h("td", null, item.source),
                h("td", { class: "num" }, formatNumber(item.added)),
                h("td", { class: "num" }, formatNumber(item.changed)),
                h("td", { class: "num" }, formatNumber(item.removed)),
                h("td", { class: "num" }, formatNumber(item.entity_count)),
              ),
            ),
          ),
        ),
      )
    : h("p", { class: "empty" }, "No import yet.");

  let form: HTMLElement | null = null;
  if (may(session.user.roles, "importList")) {
    const list = field("List name", h("input", { type: "text", name: "list", autocomplete: "off", spellcheck: "false", required: true }), "Importing replaces the whole list of this name, e.g. LT-SIS.");
    const file = field("File", h("input", { type: "file", name: "file", accept: ".csv,.ndjson,.json,.xml,text/csv,application/xml" }));
    const format = field("Format", select("format", FORMATS, "cordon-csv"), "Guessed from the file name; OFAC's SDN files are imported with `cordon lists import`.");
    file.control.addEventListener("change", () => {
      const chosen = (file.control as HTMLInputElement).files?.[0];
      const guess = chosen ? formatFor(chosen.name) : "";
      if (guess) format.control.value = guess;
    });
    const errors = new FormErrors({ list, file, format, "query.format": format });
    const importForm = h(
      "form",
      { class: "inline-form", id: "import-form", novalidate: true, "aria-labelledby": "import-title" },
      errors.summary,
      h("div", { class: "form-row" }, list.wrapper, file.wrapper, format.wrapper),
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button button-primary" }, "Import list")),
    );
    importForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = list.control.value.trim();
      const chosen = (file.control as HTMLInputElement).files?.[0];
      const local = [];
      if (!name) local.push({ path: "list", rule: "required", message: "Name the list." });
      if (!chosen) local.push({ path: "file", rule: "required", message: "Choose the list's file." });
      if (local.length) {
        errors.show("Nothing was imported.", local, { list: "List name", file: "File" });
        return;
      }
      await busy(importForm, async () => {
        try {
          errors.clear();
          const report = await api.put<WatchlistImportReport>(`/api/v1/watchlists/${encodeURIComponent(name)}`, undefined, {
            query: { format: format.control.value },
            raw: { data: chosen!, type: "application/octet-stream" },
          });
          const message = `${report.list} version ${report.version}: ${report.added} added, ${report.changed} changed, ${report.removed} removed, ${report.entity_count} entries; ${report.rescreened_declarations} declarations re-screened, ${report.new_hits} new hits.`;
          announce(message);
          navigate(`/lists?imported=${encodeURIComponent(message)}`, { replace: true });
        } catch (error) {
          // The server names the line or element of a malformed file ("line 4: ...").
          const fileErrors = error instanceof ApiError ? error.fieldErrors.map((e) => ({ ...e, path: e.path.startsWith("query.") ? e.path : "file", message: e.path && !e.path.startsWith("query.") ? `${e.path}: ${e.message}` : e.message })) : [];
          errors.show(fileErrors.length ? "Nothing was imported:" : `Nothing was imported: ${describeError(error)}`, fileErrors, { file: "File", "query.format": "Format" });
        }
      });
    });
    form = h("section", { class: "panel", "aria-labelledby": "import-title" }, h("h2", { id: "import-title" }, "Import a list"), importForm);
  }

  append(root, [
    h("div", { class: "page-head" }, heading("Watch lists")),
    justImported ? h("p", { class: "notice", role: "status", id: "import-done" }, `Imported ${justImported}`) : null,
    form,
    h("section", { class: "panel", "aria-labelledby": "active-title" }, h("h2", { id: "active-title" }, "Active lists"), active),
    h("section", { class: "panel", "aria-labelledby": "history-title" }, h("h2", { id: "history-title" }, "Imports"), history),
  ]);
}
