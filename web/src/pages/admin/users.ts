// Administration: the list of users with their roles, offices and state.
import { api } from "../../api/client";
import type { UserRecord } from "../../api/types";
import { roleLabel } from "../../auth/roles";
import { append, h } from "../../ui/dom";
import { timeElement } from "../../ui/format";
import type { PageContext } from "../page";
import { heading } from "../status";

function stateOf(user: UserRecord): HTMLElement {
  if (user.disabled) return h("span", { class: "badge badge-none" }, "Disabled");
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now())
    return h("span", { class: "badge badge-yellow" }, "Locked until ", timeElement(user.locked_until));
  return h("span", { class: "badge badge-green" }, h("span", { class: "badge-dot", "aria-hidden": "true" }), "Active");
}

export async function render(context: PageContext) {
  const { root, signal, query } = context;
  context.setTitle("Users");
  const { items } = await api.get<{ items: UserRecord[] }>("/api/v1/users", { signal });
  items.sort((a, b) => a.username.localeCompare(b.username));
  const created = query.get("created");
  const saved = query.get("saved");

  append(root, [
    h(
      "div",
      { class: "page-head" },
      heading("Users"),
      h("a", { href: "#/admin/users/new", class: "button button-primary", "data-action": "new-user" }, "New user"),
    ),
    created ? h("p", { class: "notice", role: "status" }, `User ${created} was created.`) : null,
    saved ? h("p", { class: "notice", role: "status" }, `Changes to ${saved} were saved.`) : null,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data-table", id: "users-table" },
        h("caption", { class: "visually-hidden" }, `${items.length} users`),
        h(
          "thead",
          null,
          h("tr", null, ["Username", "Name", "Roles", "Offices", "State", "Created", ""].map((c) => h("th", { scope: "col" }, c || h("span", { class: "visually-hidden" }, "Actions")))),
        ),
        h(
          "tbody",
          null,
          items.map((user) =>
            h(
              "tr",
              { "data-username": user.username },
              h("td", { class: "mono" }, user.username),
              h("td", null, h("span", { dir: "auto" }, user.display_name || "—")),
              h("td", null, user.roles.length ? user.roles.map(roleLabel).join(", ") : "—"),
              h("td", { class: "mono" }, user.offices.length ? user.offices.join(", ") : "All"),
              h("td", null, stateOf(user)),
              h("td", { class: "nowrap" }, timeElement(user.created_at)),
              h(
                "td",
                null,
                h(
                  "a",
                  { href: `#/admin/users/${encodeURIComponent(user.username)}`, "aria-label": `Edit ${user.username}` },
                  "Edit",
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  ]);
}
