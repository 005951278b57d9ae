// The risk side of a declaration's page: the decision (channel, score, profiles fired and why),
// the screening hits with their explanations, the control-result and override forms, and the
// hash-chained decision log.
import { api } from "../../api/client";
import type { Channel, ControlResult, Decision, DecisionLogEntry, FiredProfile, ScreeningHit } from "../../api/types";
import { announce, h, replaceChildren, uid, type Child } from "../../ui/dom";
import { busy, field, FormErrors, select } from "../../ui/form";
import { channelBadge, formatNumber, humanise, timeElement } from "../../ui/format";

function panel(id: string, title: string, ...content: Child[]): HTMLElement {
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

function facts(entries: [string, Child][]): HTMLElement {
  const present = entries.filter(([, value]) => value !== undefined && value !== null && value !== "");
  return h(
    "dl",
    { class: "facts" },
    present.map(([term, value]) => h("div", null, h("dt", null, term), h("dd", null, value))),
  );
}

const score = (value: number | undefined | null) =>
  value === undefined || value === null ? "—" : formatNumber(Math.round(value * 1000) / 1000);

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "missing";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function profileCard(profile: FiredProfile): HTMLElement {
  return h(
    "li",
    { class: "fired-profile", "data-profile": profile.id },
    h(
      "p",
      { class: "fired-head" },
      h("a", { href: `#/profiles/${encodeURIComponent(profile.id)}`, class: "mono" }, `${profile.id} v${profile.version}`),
      ` · ${humanise(profile.risk_area)} · weight ${formatNumber(profile.weight)} · asks `,
      channelBadge(profile.channel as Channel),
    ),
    profile.explanation.length
      ? h(
          "ul",
          { class: "explanation" },
          profile.explanation.map((part) =>
            h(
              "li",
              null,
              h("span", { class: "mono" }, part.text),
              " = ",
              h("strong", null, valueText(part.value)),
              part.detail ? h("span", { class: "muted" }, ` (${part.detail})`) : null,
            ),
          ),
        )
      : null,
  );
}

export function decisionPanel(decision: Decision): HTMLElement {
  const d = decision.decision;
  const overridden = decision.channel && decision.channel !== d.channel;
  return panel(
    "risk-title",
    "Risk",
    facts([
      ["Channel", h("span", null, channelBadge(decision.channel ?? d.channel), overridden ? h("span", { class: "muted small" }, ` (assessed ${d.channel}, overridden)`) : null)],
      ["Risk score", score(d.score)],
      ["Profiles asked for", channelBadge(d.requested_channel as Channel)],
      ["Selection", d.random ? "Random control" : d.capacity_limited ? "Limited by the office's capacity" : "By risk"],
      ["Reason", d.reason || undefined],
      [
        "Capacity",
        d.capacity ? `${d.capacity.used_risk + d.capacity.used_random} of ${d.capacity.capacity} red on ${d.capacity.day} (threshold ${score(d.capacity.threshold)})` : undefined,
      ],
    ]),
    h("h3", null, `Profiles fired (${d.profiles.length})`),
    d.profiles.length
      ? h("ul", { class: "fired-profiles", id: "fired-profiles" }, d.profiles.map(profileCard))
      : h("p", { class: "muted", id: "fired-profiles" }, "No risk profile fired."),
    Object.keys(d.features ?? {}).length
      ? [
          h("h3", null, "History features"),
          facts(Object.entries(d.features).map(([name, value]) => [name, valueText(typeof value === "number" ? Math.round(value * 1000) / 1000 : value)])),
        ]
      : null,
  );
}

function entityName(hit: ScreeningHit): string {
  const names = hit.entity?.names;
  return names?.find((name) => name.kind === "primary")?.name ?? names?.[0]?.name ?? hit.matched_value ?? hit.entity_id;
}

export function hitsPanel(hits: ScreeningHit[]): HTMLElement {
  if (!hits.length) return panel("hits-title", "Screening hits", h("p", { class: "muted", id: "hits-none" }, "No watch-list hit."));
  const sorted = [...hits].sort((a, b) => b.score - a.score);
  return panel(
    "hits-title",
    `Screening hits (${hits.length})`,
    h(
      "ul",
      { class: "hit-list", id: "hits-list" },
      sorted.map((hit) =>
        h(
          "li",
          { class: "hit", "data-entity": `${hit.list}/${hit.entity_id}` },
          h(
            "p",
            { class: "hit-head" },
            h("strong", { dir: "auto" }, entityName(hit)),
            ` — ${humanise(hit.entity?.type ?? "entity")} on `,
            h("span", { class: "mono" }, `${hit.list}/${hit.entity_id}`),
            h("span", { class: "hit-score", title: "Match score, 0 to 1" }, ` score ${score(hit.score)}`),
          ),
          facts([
            ["Declaration field", h("span", { class: "mono" }, hit.path)],
            ["Declared", h("span", { dir: "auto" }, hit.value)],
            ["Matched", h("span", { dir: "auto" }, `${humanise(hit.matched_field)}: ${hit.matched_value}`)],
            ["Programme", hit.entity?.programme],
            ["Raised", h("span", null, timeElement(hit.raised_at), ` by ${hit.raised_by}`)],
          ]),
          h("p", { class: "explanation-text" }, h("span", { class: "label" }, "Why: "), hit.explanation),
          hit.entity?.instruction ? h("p", { class: "instruction", role: "note" }, h("strong", null, "Instruction: "), hit.entity.instruction) : null,
        ),
      ),
    ),
  );
}

function entrySummary(entry: DecisionLogEntry): Child {
  const b = entry.body as Record<string, unknown>;
  switch (entry.kind) {
    case "assessment": {
      const profiles = Array.isArray(b.profiles) ? (b.profiles as FiredProfile[]).map((p) => `${p.id}@${p.version}`) : [];
      const hits = Array.isArray(b.hits) ? b.hits.length : 0;
      return h(
        "span",
        null,
        "Assessed ",
        channelBadge(b.channel as Channel),
        ` score ${score(b.score as number)}; ${profiles.length ? `profiles ${profiles.join(", ")}` : "no profile"}; ${hits} hit${hits === 1 ? "" : "s"}${b.random ? "; random control" : ""}`,
      );
    }
    case "control_result":
      return h(
        "span",
        null,
        b.irregularity ? h("strong", null, `Irregularity: ${String(b.category || "—")}`) : h("strong", null, "No irregularity"),
        b.seizure_reference ? ` · seizure ${String(b.seizure_reference)}` : "",
        b.note ? ` · “${String(b.note)}”` : "",
        ` · recorded by ${String(b.recorded_by ?? "—")}`,
      );
    case "override":
      return h(
        "span",
        null,
        "Channel overridden ",
        channelBadge(b.from as Channel),
        " → ",
        channelBadge(b.to as Channel),
        ` by ${String(b.officer ?? "—")}: “${String(b.reason ?? "")}”`,
      );
    default:
      return h("span", { class: "mono small" }, JSON.stringify(b));
  }
}

export function decisionLogPanel(decision: Decision): HTMLElement {
  return panel(
    "log-title",
    "Decision log",
    h("p", { class: "hint" }, "Every entry is chained to the one before it by its hash; `cordon audit verify` checks the chain."),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data-table", id: "decision-log" },
        h("caption", { class: "visually-hidden" }, "Decision log, oldest first"),
        h("thead", null, h("tr", null, ["#", "When", "Entry", "What", "Hash"].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          null,
          decision.log.map((entry) =>
            h(
              "tr",
              { "data-kind": entry.kind },
              h("td", { class: "num" }, String(entry.seq)),
              h("td", { class: "nowrap" }, timeElement(entry.at)),
              h("td", null, humanise(entry.kind)),
              h("td", null, entrySummary(entry)),
              h("td", { class: "mono small", title: `hash ${entry.hash}\nprevious ${entry.prev_hash}` }, entry.hash.slice(0, 12)),
            ),
          ),
        ),
      ),
    ),
  );
}

const CATEGORIES = [
  "undervaluation",
  "misdescription",
  "wrong_origin",
  "drugs",
  "cigarettes",
  "weapons",
  "counterfeit",
  "cites",
  "sanctions",
  "security",
  "other",
];

function recordedResult(result: ControlResult | undefined): Child {
  if (!result) return h("p", { class: "muted", id: "control-current" }, "No control result recorded yet.");
  return h(
    "p",
    { class: "notice", id: "control-current" },
    result.outcome === "irregularity" ? `Irregularity found (${result.category})` : "No irregularity found",
    result.seizure_reference ? `, seizure ${result.seizure_reference}` : "",
    ` — recorded by ${result.recorded_by} on `,
    timeElement(result.recorded_at),
    ".",
  );
}

/** What the control found; the result is appended to the decision log and feeds the profiles' statistics. */
export function controlResultPanel(
  declarationId: number,
  current: ControlResult | undefined,
  refresh: () => Promise<ControlResult | undefined>,
): HTMLElement {
  const currentSlot = h("div", null, recordedResult(current));
  const none = h("input", { type: "radio", name: "outcome", value: "no_irregularity", id: uid("outcome-none") });
  const found = h("input", { type: "radio", name: "outcome", value: "irregularity", id: uid("outcome-found") });
  const outcomeError = h("p", { class: "field-error", id: uid("outcome-error"), hidden: true });
  const outcome = h(
    "fieldset",
    { class: "inline-choices", "aria-describedby": outcomeError.id },
    h("legend", null, "Outcome"),
    h("div", { class: "check" }, none, h("label", { for: none.id }, "No irregularity found")),
    h("div", { class: "check" }, found, h("label", { for: found.id }, "Irregularity found")),
    outcomeError,
  );
  const listId = uid("categories");
  const category = field(
    "Category",
    h("input", { type: "text", name: "category", list: listId, autocomplete: "off", spellcheck: "false" }),
    "Required when an irregularity was found, e.g. undervaluation, drugs.",
  );
  const seizure = field("Seizure reference", h("input", { type: "text", name: "seizure_reference", autocomplete: "off" }));
  const note = field("Note", h("input", { type: "text", name: "note", autocomplete: "off" }));
  const errors = new FormErrors({ category, seizure_reference: seizure, note });
  const done = h("p", { class: "notice", role: "status", hidden: true });
  const form = h(
    "form",
    { class: "inline-form", id: "control-form", novalidate: true, "aria-labelledby": "control-title" },
    errors.summary,
    outcome,
    h("div", { class: "form-row" }, category.wrapper, seizure.wrapper, note.wrapper),
    h("datalist", { id: listId }, CATEGORIES.map((name) => h("option", { value: name }))),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button button-primary" }, "Record control result")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    done.hidden = true;
    outcomeError.hidden = true;
    const chosen = none.checked ? "no_irregularity" : found.checked ? "irregularity" : "";
    const local = [];
    if (!chosen) local.push({ path: "outcome", rule: "required", message: "Choose what the control found." });
    if (chosen === "irregularity" && !category.control.value.trim())
      local.push({ path: "category", rule: "required", message: "Name the irregularity (e.g. undervaluation, drugs)." });
    if (local.length) {
      errors.show("The control result was not recorded.", local, { outcome: "Outcome", category: "Category" });
      if (!chosen) {
        outcomeError.textContent = local[0]!.message;
        outcomeError.hidden = false;
      }
      return;
    }
    await busy(form, async () => {
      try {
        errors.clear();
        await api.post(`/api/v1/declarations/${declarationId}/control-result`, {
          outcome: chosen,
          category: category.control.value.trim() || undefined,
          seizure_reference: seizure.control.value.trim() || undefined,
          note: note.control.value.trim() || undefined,
        });
        const latest = await refresh();
        replaceChildren(currentSlot, recordedResult(latest));
        form.reset();
        done.textContent = "The control result was recorded and added to the decision log.";
        done.hidden = false;
        announce(done.textContent);
      } catch (error) {
        errors.showError("The control result was not recorded", error, { category: "Category", seizure_reference: "Seizure reference", note: "Note", outcome: "Outcome" });
      }
    });
  });
  return panel("control-title", "Control result", currentSlot, done, form);
}

/** A targeting officer's change of channel, with the reason, logged like any decision. */
export function overridePanel(declarationId: number, decision: Decision, refresh: () => Promise<unknown>): HTMLElement {
  const current = decision.channel ?? decision.decision.channel;
  const channel = field(
    "New channel",
    select(
      "channel",
      [["red", "Red"], ["yellow", "Yellow"], ["green", "Green"]].filter(([value]) => value !== current) as [string, string][],
    ),
  );
  const reason = field("Reason", h("input", { type: "text", name: "reason", autocomplete: "off", required: true }), "Logged with your name.");
  const errors = new FormErrors({ channel, reason });
  const done = h("p", { class: "notice", role: "status", hidden: true });
  const form = h(
    "form",
    { class: "inline-form", novalidate: true },
    errors.summary,
    h("div", { class: "form-row" }, channel.wrapper, reason.wrapper),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button" }, "Override channel")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    done.hidden = true;
    if (!reason.control.value.trim()) {
      errors.show("The channel was not changed.", [{ path: "reason", rule: "required", message: "Give the reason for the override." }], { reason: "Reason" });
      return;
    }
    await busy(form, async () => {
      try {
        errors.clear();
        await api.post(`/api/v1/declarations/${declarationId}/override`, { channel: channel.control.value, reason: reason.control.value.trim() });
        await refresh();
        done.textContent = `The channel is now ${channel.control.value}.`;
        done.hidden = false;
        announce(done.textContent);
        form.reset();
      } catch (error) {
        errors.showError("The channel was not changed", error, { channel: "New channel", reason: "Reason" });
      }
    });
  });
  return h(
    "details",
    { class: "panel override" },
    h("summary", null, `Override the channel (now ${current})`),
    done,
    form,
  );
}
