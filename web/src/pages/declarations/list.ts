// Declarations: filters (every query parameter of GET /api/v1/declarations), a table of one
// page, and cursor paging. Filters and cursor live in the address, so a search can be bookmarked,
// shared with a colleague, and the browser's Back button returns to the previous page.
import { api } from "../../api/client";
import type { DeclarationSummary, Page } from "../../api/types";
import { append, h, uid } from "../../ui/dom";
import { channelBadge, formatNumber, humanise, timeElement } from "../../ui/format";
import type { PageContext } from "../page";
import { heading } from "../status";

interface FilterField {
  name: string;
  label: string;
  type?: "text" | "date" | "select";
  options?: [string, string][];
  placeholder?: string;
  hint?: string;
}

const KIND_OPTIONS: [string, string][] = [
  ["", "Any kind"],
  ["entry_summary", "Entry summary"],
  ["transit", "Transit"],
  ["import", "Import"],
];
const MODE_OPTIONS: [string, string][] = [
  ["", "Any mode"],
  ["sea", "Sea"],
  ["air", "Air"],
  ["road", "Road"],
  ["rail", "Rail"],
  ["postal", "Postal"],
  ["inland_waterway", "Inland waterway"],
  ["fixed_installation", "Fixed installation"],
];
const CHANNEL_OPTIONS: [string, string][] = [
  ["", "Any channel"],
  ["red", "Red"],
  ["yellow", "Yellow"],
  ["green", "Green"],
];

export const FILTERS: FilterField[] = [
  { name: "reference", label: "Reference" },
  { name: "declarant_eori", label: "Declarant EORI" },
  { name: "party_eori", label: "Any party's EORI" },
  { name: "office", label: "Office of first entry", placeholder: "NL000396" },
  { name: "kind", label: "Kind", type: "select", options: KIND_OPTIONS },
  { name: "mode", label: "Mode", type: "select", options: MODE_OPTIONS },
  { name: "hs", label: "HS code prefix", placeholder: "8517" },
  { name: "origin", label: "Origin country", placeholder: "CN" },
  { name: "container", label: "Container", placeholder: "CSQU3054383" },
  { name: "vehicle", label: "Vehicle plate or VIN" },
  { name: "lodged_from", label: "Lodged from", type: "date" },
  { name: "lodged_to", label: "Lodged before", type: "date" },
  { name: "channel", label: "Channel", type: "select", options: CHANNEL_OPTIONS },
];

const PAGE_SIZES = ["25", "50", "100", "200"];

// Cursors already passed on the way to the current page, per filter set, so "Previous" works
// even though the API pages forward only.
const trails = new Map<string, string[]>();

function filterKey(query: URLSearchParams): string {
  const copy = new URLSearchParams(query);
  copy.delete("cursor");
  copy.sort();
  return copy.toString();
}

function listPath(query: URLSearchParams): string {
  const text = query.toString();
  return text ? `/declarations?${text}` : "/declarations";
}

export async function render(context: PageContext) {
  const { root, query, signal, navigate } = context;
  context.setTitle("Declarations");

  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter declarations" });
  const grid = h("div", { class: "filter-grid" });
  for (const field of FILTERS) {
    const id = uid(`filter-${field.name}`);
    const current = query.get(field.name) ?? "";
    let control: HTMLInputElement | HTMLSelectElement;
    if (field.type === "select") {
      control = h(
        "select",
        { id, name: field.name },
        field.options!.map(([value, label]) => h("option", { value, selected: value === current }, label)),
      );
    } else {
      control = h("input", {
        id,
        name: field.name,
        type: field.type ?? "text",
        value: current,
        placeholder: field.placeholder,
        autocomplete: "off",
        spellcheck: "false",
      });
    }
    grid.append(h("div", { class: "field" }, h("label", { for: id }, field.label), control));
  }
  const sizeId = uid("filter-limit");
  const currentSize = query.get("limit") ?? "50";
  grid.append(
    h(
      "div",
      { class: "field" },
      h("label", { for: sizeId }, "Rows per page"),
      h("select", { id: sizeId, name: "limit" }, PAGE_SIZES.map((size) => h("option", { value: size, selected: size === currentSize }, size))),
    ),
  );
  form.append(
    grid,
    h(
      "div",
      { class: "filter-actions" },
      h("button", { type: "submit", class: "button button-primary" }, "Search"),
      h("a", { href: "#/declarations", class: "button button-quiet" }, "Clear filters"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text && !(name === "limit" && text === "50")) next.set(name, text);
    }
    navigate(listPath(next));
  });

  const apiQuery: Record<string, string> = {};
  for (const field of FILTERS) {
    const value = query.get(field.name);
    if (value) apiQuery[field.name] = value;
  }
  apiQuery.limit = PAGE_SIZES.includes(currentSize) ? currentSize : "50";
  const cursor = query.get("cursor");
  if (cursor) apiQuery.cursor = cursor;

  const page = await api.get<Page<DeclarationSummary>>("/api/v1/declarations", { query: apiQuery, signal });

  const key = filterKey(query);
  const trail = trails.get(key) ?? [];
  // Keep the trail only up to the current cursor (Back/Forward may have moved us).
  const position = cursor ? trail.indexOf(cursor) : -1;
  const kept = cursor ? (position >= 0 ? trail.slice(0, position + 1) : [...trail, cursor]) : [];
  trails.set(key, kept);

  const caption = h(
    "caption",
    { class: "visually-hidden" },
    `Declarations, newest first${Object.keys(apiQuery).length > 1 ? ", filtered" : ""}`,
  );
  const body = h("tbody");
  for (const item of page.items) {
    body.append(
      h(
        "tr",
        null,
        h("td", null, h("a", { href: `#/declarations/${encodeURIComponent(item.id)}`, class: "mono" }, item.reference)),
        h("td", null, channelBadge(item.channel)),
        h("td", { class: "num" }, item.score === null || item.score === undefined ? "—" : formatNumber(Math.round(item.score * 100) / 100)),
        h(
          "td",
          { class: "num" },
          item.hit_count ? h("span", { class: "hit-count", title: `${item.hit_count} watch-list hits` }, String(item.hit_count)) : "0",
        ),
        h("td", null, humanise(item.kind)),
        h("td", null, humanise(item.mode)),
        h(
          "td",
          null,
          h("span", { dir: "auto" }, item.declarant?.name ?? "—"),
          item.declarant?.eori ? h("div", { class: "muted mono small" }, item.declarant.eori) : null,
        ),
        h("td", null, h("span", { dir: "auto" }, item.consignor_name ?? "—")),
        h("td", null, h("span", { dir: "auto" }, item.consignee_name ?? "—")),
        h("td", { class: "mono" }, item.office_of_first_entry ?? "—"),
        h("td", { class: "nowrap" }, timeElement(item.lodged_at)),
        h("td", { class: "num" }, String(item.goods_count ?? "—")),
      ),
    );
  }
  const columns = ["Reference", "Channel", "Risk", "Hits", "Kind", "Mode", "Declarant", "Consignor", "Consignee", "Office", "Lodged", "Goods"];
  const numeric = new Set(["Risk", "Hits", "Goods"]);
  const table = h(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Declarations table" },
    h(
      "table",
      { class: "data-table", id: "declarations-table" },
      caption,
      h("thead", null, h("tr", null, columns.map((name) =>
            h("th", { scope: "col", class: numeric.has(name) ? "num" : null, title: name === "Risk" ? "Risk score of the latest assessment" : name === "Hits" ? "Watch-list hits" : null }, name),
          ))),
      body,
    ),
  );

  const previousQuery = new URLSearchParams(query);
  const previousCursor = kept.length >= 2 ? kept[kept.length - 2] : null;
  if (previousCursor) previousQuery.set("cursor", previousCursor);
  else previousQuery.delete("cursor");
  const nextQuery = new URLSearchParams(query);
  if (page.next_cursor) nextQuery.set("cursor", page.next_cursor);
  const pageNumber = kept.length + 1;

  const pager = h(
    "nav",
    { class: "pager", "aria-label": "Pages of declarations" },
    cursor
      ? h("a", { href: `#${listPath(previousQuery)}`, class: "button", rel: "prev" }, "← Previous")
      : h("span", { class: "button", "aria-disabled": "true" }, "← Previous"),
    h("span", { class: "pager-status", "aria-live": "polite" }, `Page ${pageNumber} · ${page.items.length} shown`),
    page.next_cursor
      ? h("a", { href: `#${listPath(nextQuery)}`, class: "button", rel: "next", "data-action": "next-page" }, "Next →")
      : h("span", { class: "button", "aria-disabled": "true" }, "Next →"),
  );

  append(root, [
    h("div", { class: "page-head" }, heading("Declarations")),
    form,
    page.items.length
      ? [table, pager]
      : h("p", { class: "empty", role: "status" }, cursor ? "No more declarations." : "No declaration matches these filters."),
  ]);
}
