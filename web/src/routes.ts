// Every page of the console: its address, who may open it and where its code is.
// Pages are loaded on demand (dynamic import), so the first load carries only the shell and
// sign-in. Navigation links are generated from the entries with `nav`.
import type { Area } from "./auth/roles";
import type { PageModule } from "./pages/page";

export interface RouteDefinition {
  id: string;
  /** Path pattern; ":name" segments become params. */
  pattern: string;
  /** Who may open it; undefined = anyone signed in. */
  area?: Area;
  nav?: { label: string; order: number };
  load: () => Promise<PageModule>;
}

export const ROUTES: RouteDefinition[] = [
  {
    id: "declarations",
    pattern: "/declarations",
    area: "declarations",
    nav: { label: "Declarations", order: 10 },
    load: () => import("./pages/declarations/list"),
  },
  {
    id: "declaration",
    pattern: "/declarations/:id",
    area: "declarations",
    load: () => import("./pages/declarations/detail"),
  },
  {
    id: "profiles",
    pattern: "/profiles",
    area: "profiles",
    nav: { label: "Risk profiles", order: 20 },
    load: () => import("./pages/profiles/list"),
  },
  {
    id: "profile-new",
    pattern: "/profiles/new",
    area: "profiles",
    load: () => import("./pages/profiles/editor"),
  },
  {
    id: "profile",
    pattern: "/profiles/:id",
    area: "profiles",
    load: () => import("./pages/profiles/editor"),
  },
  {
    id: "supervision",
    pattern: "/supervision",
    area: "supervision",
    nav: { label: "Supervision", order: 30 },
    load: () => import("./pages/supervision/centre"),
  },
  {
    id: "lists",
    pattern: "/lists",
    area: "lists",
    nav: { label: "Watch lists", order: 95 },
    load: () => import("./pages/admin/lists"),
  },
  {
    id: "users",
    pattern: "/admin/users",
    area: "administration",
    nav: { label: "Users", order: 90 },
    load: () => import("./pages/admin/users"),
  },
  {
    id: "user-new",
    pattern: "/admin/users/new",
    area: "administration",
    load: () => import("./pages/admin/user-form"),
  },
  {
    id: "user-edit",
    pattern: "/admin/users/:username",
    area: "administration",
    load: () => import("./pages/admin/user-form"),
  },
];

export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
}

/** The most specific match: literal segments win over ":name" segments. */
export function matchRoute(path: string, routes: RouteDefinition[] = ROUTES): RouteMatch | null {
  const segments = path.split("/").filter(Boolean);
  let best: { match: RouteMatch; literals: number } | null = null;
  for (const route of routes) {
    const pattern = route.pattern.split("/").filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < pattern.length; i += 1) {
      const part = pattern[i]!;
      const segment = segments[i]!;
      if (part.startsWith(":")) {
        try {
          params[part.slice(1)] = decodeURIComponent(segment);
        } catch {
          ok = false;
          break;
        }
      } else if (part === segment) {
        literals += 1;
      } else {
        ok = false;
        break;
      }
    }
    if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
  }
  return best?.match ?? null;
}
