// One declaration: header, risk (the decision with the profiles that fired and the screening
// hits with their explanations), parties, goods, transport, routing, transit, then the control
// result form and the hash-chained decision log. Panels whose API the officer's roles do not
// open say so instead of failing the page.
import { api, ApiError } from "../../api/client";
import type { Address, Assessment, Decision, DeclarationRecord, Party, ScreeningHit, Transport } from "../../api/types";
import { may } from "../../auth/roles";
import { append, h, type Child } from "../../ui/dom";
import { describeError } from "../../ui/errors";
import { channelBadge, formatMoney, formatNumber, humanise, timeElement } from "../../ui/format";
import type { PageContext } from "../page";
import { heading, renderNotFound } from "../status";
import { controlResultPanel, decisionLogPanel, decisionPanel, hitsPanel, overridePanel } from "./risk-panels";

function section(id: string, title: string, ...content: Child[]): HTMLElement {
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

function definitionList(entries: [string, Child][]): HTMLElement {
  const present = entries.filter(([, value]) => value !== undefined && value !== null && value !== "");
  return h(
    "dl",
    { class: "facts" },
    present.map(([term, value]) => h("div", null, h("dt", null, term), h("dd", null, value))),
  );
}

function addressText(address: Address | undefined): string {
  if (!address) return "—";
  return [address.street, [address.postcode, address.city].filter(Boolean).join(" "), address.country].filter(Boolean).join(", ") || "—";
}

function partyRows(parties: Party[]): HTMLElement {
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "data-table", id: "parties-table" },
      h("caption", { class: "visually-hidden" }, "Parties"),
      h(
        "thead",
        null,
        h("tr", null, ["Role", "Name", "Name in own script", "Address", "EORI", "TIN"].map((c) => h("th", { scope: "col" }, c))),
      ),
      h(
        "tbody",
        null,
        parties.map((party) =>
          h(
            "tr",
            null,
            h("td", null, humanise(party.role)),
            h("td", null, h("span", { dir: "auto" }, party.name)),
            h("td", null, party.name_original ? h("span", { dir: "auto", class: "own-script" }, party.name_original) : "—"),
            h("td", null, h("span", { dir: "auto" }, addressText(party.address))),
            h("td", { class: "mono" }, party.eori ?? "—"),
            h("td", { class: "mono" }, party.tin ?? "—"),
          ),
        ),
      ),
    ),
  );
}

function transportFacts(transport: Transport | undefined): HTMLElement {
  if (!transport || Object.keys(transport).length === 0) return h("p", { class: "muted" }, "No transport details.");
  const vehicle = (plate?: string, country?: string) => (plate ? `${plate}${country ? ` (${country})` : ""}` : undefined);
  return definitionList([
    ["Vessel", transport.vessel_name ? `${transport.vessel_name}${transport.vessel_imo ? ` · IMO ${transport.vessel_imo}` : ""}` : transport.vessel_imo ? `IMO ${transport.vessel_imo}` : undefined],
    ["Flight", transport.flight_number],
    ["Vehicle", vehicle(transport.vehicle_plate, transport.vehicle_country)],
    ["Vehicle VIN", transport.vehicle_vin],
    ["Trailer", vehicle(transport.trailer_plate, transport.trailer_country)],
    ["Trailer VIN", transport.trailer_vin],
  ]);
}

/** Reasons have no fixed shape yet (each engine adds its own): show any JSON readably. */
function reasonsView(value: unknown, depth = 0): Child {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "object") return String(value);
  if (depth > 4) return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    return h("ul", { class: "reasons" }, value.map((item) => h("li", null, reasonsView(item, depth + 1))));
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "none";
  return h(
    "dl",
    { class: "reasons" },
    entries.map(([key, item]) => h("div", null, h("dt", null, humanise(key)), h("dd", null, reasonsView(item, depth + 1)))),
  );
}

function assessmentPanel(assessment: Assessment): HTMLElement {
  return section(
    "assessment-title",
    "Assessment",
    definitionList([
      ["Channel", channelBadge(assessment.channel)],
      ["Score", assessment.score === undefined ? undefined : formatNumber(assessment.score)],
      ["Assessed", assessment.assessed_at ? timeElement(assessment.assessed_at) : undefined],
    ]),
    assessment.reasons !== undefined ? [h("h3", null, "Reasons"), reasonsView(assessment.reasons)] : null,
  );
}

export async function render(context: PageContext) {
  const { root, params, signal } = context;
  if (!/^\d+$/.test(params.id ?? "")) {
    context.setTitle(renderNotFound(root));
    return;
  }
  let record: DeclarationRecord;
  try {
    record = await api.get<DeclarationRecord>(`/api/v1/declarations/${params.id}`, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      context.setTitle(renderNotFound(root));
      return;
    }
    throw error;
  }
  const d = record.declaration;
  context.setTitle(`Declaration ${d.reference}`);
  const roles = context.session.user.roles;
  const id = Number(params.id);

  // Hits and the decision come from other engines; a refusal or an absence is shown in place.
  type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
  const settle = <T,>(promise: Promise<T>): Promise<Outcome<T>> =>
    promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
  const [hits, decision] = await Promise.all([
    settle(api.get<{ items: ScreeningHit[] }>(`/api/v1/declarations/${id}/hits`, { signal })),
    may(roles, "decision")
      ? settle(api.get<Decision>(`/api/v1/declarations/${id}/decision`, { signal }))
      : Promise.resolve<Outcome<Decision>>({ ok: false, error: new ApiError(403, null, "Your roles do not show decisions.") }),
  ]);
  for (const result of [hits, decision]) {
    if (!result.ok && result.error instanceof DOMException && result.error.name === "AbortError") throw result.error;
    if (!result.ok && result.error instanceof ApiError && result.error.status === 401) throw result.error;
  }
  const unavailable = (what: string, error: unknown) =>
    h(
      "p",
      { class: error instanceof ApiError && (error.status === 404 || error.status === 403) ? "muted" : "form-error" },
      error instanceof ApiError && error.status === 404
        ? `No ${what} yet: the declaration has not been assessed.`
        : error instanceof ApiError && error.status === 403
          ? `Your roles do not show the ${what}.`
          : `The ${what} could not be loaded: ${describeError(error)}`,
    );

  // The risk, log and control panels are redrawn after a control result or an override.
  const riskSlot = h("div");
  const logSlot = h("div");
  const controlSlot = h("div");
  const drawDecision = (current: Outcome<Decision>) => {
    if (current.ok) {
      riskSlot.replaceChildren(decisionPanel(current.value));
      logSlot.replaceChildren(decisionLogPanel(current.value));
    } else {
      riskSlot.replaceChildren(
        record.assessment
          ? assessmentPanel(record.assessment)
          : section("risk-title", "Risk", unavailable("decision", current.error)),
      );
      logSlot.replaceChildren(section("log-title", "Decision log", unavailable("decision log", current.error)));
    }
    if (current.ok) headBadge.replaceChildren(channelBadge(current.value.channel ?? current.value.decision.channel));
  };
  const reload = async () => {
    const fresh = await settle(api.get<Decision>(`/api/v1/declarations/${id}/decision`, { signal }));
    drawDecision(fresh);
    return fresh;
  };
  const headBadge = h("span", { class: "head-badge" }, channelBadge(record.assessment?.channel ?? null));
  drawDecision(decision);
  if (may(roles, "controlResult")) {
    controlSlot.append(
      controlResultPanel(id, decision.ok ? decision.value.control_result : undefined, async () => {
        const fresh = await reload();
        return fresh.ok ? fresh.value.control_result : undefined;
      }),
    );
  }
  const overrideSlot = may(roles, "override") && decision.ok ? overridePanel(id, decision.value, reload) : null;
  const parties: Party[] = [{ ...d.declarant, role: "declarant" }, ...(d.parties ?? [])];

  const goods = h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "data-table", id: "goods-table" },
      h("caption", { class: "visually-hidden" }, "Goods items"),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["#", "Description", "HS code", "Origin", "Gross kg", "Net kg", "Packages", "Value", "Containers"].map((c) =>
            h("th", { scope: "col", class: ["#", "Gross kg", "Net kg", "Value"].includes(c) ? "num" : null }, c),
          ),
        ),
      ),
      h(
        "tbody",
        null,
        d.goods.map((item, index) =>
          h(
            "tr",
            null,
            h("td", { class: "num" }, String(index + 1)),
            h("td", null, h("span", { dir: "auto" }, item.description)),
            h("td", { class: "mono" }, item.hs_code),
            h("td", null, item.origin_country),
            h("td", { class: "num" }, formatNumber(item.gross_mass_kg)),
            h("td", { class: "num" }, formatNumber(item.net_mass_kg)),
            h("td", null, item.packages ? `${item.packages.count}${item.packages.kind ? ` ${item.packages.kind}` : ""}` : "—"),
            h("td", { class: "num nowrap" }, formatMoney(item.value?.amount, item.value?.currency)),
            h("td", { class: "mono" }, item.containers?.length ? item.containers.join(", ") : "—"),
          ),
        ),
      ),
    ),
  );

  const routing = d.routing;
  const routingFacts = routing
    ? definitionList([
        ["Place of loading", routing.place_of_loading],
        ["Place of unloading", routing.place_of_unloading],
        [
          "Countries",
          routing.countries?.length
            ? h("span", { "aria-label": `Countries in order of passage: ${routing.countries.join(", ")}` }, routing.countries.join(" → "))
            : undefined,
        ],
      ])
    : h("p", { class: "muted" }, "No routing details.");

  const transit = d.transit
    ? section(
        "transit-title",
        "Transit",
        definitionList([
          ["MRN", d.transit.mrn],
          ["Office of departure", d.transit.office_of_departure],
          ["Offices of transit", d.transit.offices_of_transit?.join(", ")],
          ["Office of destination", d.transit.office_of_destination],
          ["Seals", d.transit.seals?.join(", ")],
          ["Devices", d.transit.devices?.join(", ")],
          ["Time limit", d.transit.time_limit ? timeElement(d.transit.time_limit) : undefined],
        ]),
      )
    : null;

  append(root, [
    h("p", { class: "breadcrumb" }, h("a", { href: "#/declarations" }, "← Declarations")),
    h("div", { class: "page-head" }, heading(`Declaration ${d.reference}`), headBadge),
    h(
      "nav",
      { class: "in-page", "aria-label": "On this page" },
      h(
        "ul",
        null,
        [
          ["#risk", "Risk"],
          ["#hits", "Screening hits"],
          ["#parties", "Parties"],
          ["#goods", "Goods"],
          may(roles, "controlResult") ? ["#control", "Control result"] : null,
          ["#log", "Decision log"],
        ]
          .filter((entry): entry is string[] => entry !== null)
          .map(([target, label]) =>
            h("li", null, h("a", { href: target!, "data-jump": target!.slice(1), onclick: jump }, label!)),
          ),
      ),
    ),
    h(
      "section",
      { class: "panel summary", "aria-label": "Summary" },
      definitionList([
        ["Kind", humanise(d.kind ?? "entry_summary")],
        ["Mode", humanise(d.mode)],
        ["Declarant", h("span", { dir: "auto" }, `${d.declarant.name}${d.declarant.eori ? ` · ${d.declarant.eori}` : ""}`)],
        ["Office of first entry", d.office_of_first_entry],
        ["Lodged", timeElement(d.lodged_at)],
        ["Received", timeElement(record.received_at)],
        ["Loading date", d.loading_date],
        ["Arrival date", d.arrival_date],
        ["Cordon id", String(record.id)],
      ]),
    ),
    h("div", { id: "risk", class: "anchor" }, riskSlot, overrideSlot),
    h(
      "div",
      { id: "hits", class: "anchor" },
      hits.ok ? hitsPanel(hits.value.items) : section("hits-title", "Screening hits", unavailable("screening hits", hits.error)),
    ),
    h("div", { id: "parties", class: "anchor" }, section("parties-title", "Parties", partyRows(parties))),
    h("div", { id: "goods", class: "anchor" }, section("goods-title", `Goods (${d.goods.length})`, goods)),
    h(
      "div",
      { class: "two-columns" },
      section("transport-title", "Transport", transportFacts(d.transport)),
      section("routing-title", "Routing", routingFacts),
    ),
    transit,
    h("div", { id: "control", class: "anchor" }, controlSlot),
    h("div", { id: "log", class: "anchor" }, logSlot),
  ]);
}

/** In-page links: hash routing would read "#risk" as a page, so move focus and scroll instead. */
function jump(event: Event): void {
  event.preventDefault();
  const target = (event.currentTarget as HTMLElement).dataset.jump;
  const panel = target ? document.getElementById(target) : null;
  const title = panel?.querySelector<HTMLElement>("h2");
  if (!panel || !title) return;
  title.tabIndex = -1;
  title.focus();
  panel.scrollIntoView({ block: "start" });
}
