// Risk profiles: the latest version of each, its state in the four-eyes workflow and its owner.
import { api } from "../../api/client";
import type { Channel, Profile } from "../../api/types";
import { append, h } from "../../ui/dom";
import { channelBadge, formatNumber, humanise, timeElement } from "../../ui/format";
import type { PageContext } from "../page";
import { heading } from "../status";

export function statusBadge(status: string): HTMLElement {
  const look: Record<string, string> = { active: "green", proposed: "yellow", draft: "none", inactive: "none" };
  return h("span", { class: `badge badge-${look[status] ?? "none"}` }, humanise(status));
}

export async function render(context: PageContext) {
  const { root, signal } = context;
  context.setTitle("Risk profiles");
  const { items } = await api.get<{ items: Profile[] }>("/api/v1/profiles", { signal });
  items.sort((a, b) => a.id.localeCompare(b.id));
  append(root, [
    h(
      "div",
      { class: "page-head" },
      heading("Risk profiles"),
      h("a", { href: "#/profiles/new", class: "button button-primary", "data-action": "new-profile" }, "New profile"),
    ),
    items.length
      ? h(
          "div",
          { class: "table-scroll" },
          h(
            "table",
            { class: "data-table", id: "profiles-table" },
            h("caption", { class: "visually-hidden" }, `${items.length} risk profiles, latest versions`),
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                ["Profile", "Title", "Version", "State", "Risk area", "Weight", "At least", "Author", "Changed"].map((c) =>
                  h("th", { scope: "col", class: c === "Weight" || c === "Version" ? "num" : null }, c),
                ),
              ),
            ),
            h(
              "tbody",
              null,
              items.map((profile) =>
                h(
                  "tr",
                  { "data-profile": profile.id },
                  h("td", null, h("a", { href: `#/profiles/${encodeURIComponent(profile.id)}`, class: "mono" }, profile.id)),
                  h("td", null, profile.metadata?.title ?? "—"),
                  h("td", { class: "num" }, String(profile.version)),
                  h("td", null, statusBadge(profile.status)),
                  h("td", null, humanise(profile.metadata?.risk_area ?? "")),
                  h("td", { class: "num" }, formatNumber(profile.metadata?.weight)),
                  h("td", null, profile.metadata?.minimum_channel ? channelBadge(profile.metadata.minimum_channel as Channel) : "—"),
                  h("td", null, profile.author),
                  h("td", { class: "nowrap" }, timeElement(profile.changed_at)),
                ),
              ),
            ),
          ),
        )
      : h("p", { class: "empty", role: "status" }, "No risk profile yet. Write the first one with “New profile”."),
  ]);
}
