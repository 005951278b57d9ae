// The console's shell: finds out who is signed in, builds the navigation for their roles, and
// routes hash addresses (#/declarations/42) to page modules loaded on demand.
import "./styles.css";
import { ApiError, onUnauthenticated } from "./api/client";
import type { Session } from "./api/types";
import { mayEnter, roleLabel } from "./auth/roles";
import type { Cleanup } from "./pages/page";
import { renderSignIn } from "./pages/signin";
import { heading, renderFailure, renderHome, renderNotFound, renderRefused } from "./pages/status";
import { matchRoute, ROUTES, type RouteDefinition } from "./routes";
import { currentSession, forgetSession, probeSession, signOut } from "./session";
import { announce, h, replaceChildren } from "./ui/dom";

const main = document.getElementById("main") as HTMLElement;
const header = document.getElementById("app-header") as HTMLElement;
const nav = document.getElementById("app-nav") as HTMLElement;
const userBox = document.getElementById("user-box") as HTMLElement;

let leavePage: { controller: AbortController; cleanup: Cleanup | void } | null = null;
let renderCount = 0;
// The first page shown keeps the browser's own start position (top of the document, or the
// sign-in field); every later page change moves focus to the new page's heading.
let pageShown = false;

interface Location {
  path: string;
  query: URLSearchParams;
}

function parseHash(hash: string = window.location.hash): Location {
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  const [path = "/", query = ""] = text.split("?", 2) as [string?, string?];
  return { path: path || "/", query: new URLSearchParams(query) };
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = `#${path}`;
  if (window.location.hash === target) {
    void render();
  } else if (options.replace) {
    window.history.replaceState(null, "", target);
    void render();
  } else {
    window.location.hash = target;
  }
}

/** Only in-console paths: a crafted ?next= cannot send the officer elsewhere. */
function safeNext(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

function allowedRoutes(session: Session): RouteDefinition[] {
  return ROUTES.filter((route) => !route.area || mayEnter(session.user.roles, route.area));
}

function homePath(session: Session): string | null {
  const first = allowedRoutes(session)
    .filter((route) => route.nav)
    .sort((a, b) => a.nav!.order - b.nav!.order)[0];
  return first ? first.pattern : null;
}

function renderChrome(session: Session | null, activePath: string): void {
  header.hidden = !session;
  if (!session) {
    nav.replaceChildren();
    userBox.replaceChildren();
    return;
  }
  const links = allowedRoutes(session)
    .filter((route) => route.nav)
    .sort((a, b) => a.nav!.order - b.nav!.order)
    .map((route) => {
      const active = activePath === route.pattern || activePath.startsWith(`${route.pattern}/`);
      return h(
        "li",
        null,
        h("a", { href: `#${route.pattern}`, "aria-current": active ? "page" : null, "data-nav": route.id }, route.nav!.label),
      );
    });
  replaceChildren(nav, h("ul", { class: "nav-list" }, links));
  const roles = session.user.roles.map(roleLabel).join(", ");
  replaceChildren(
    userBox,
    h(
      "span",
      { class: "user-name", title: `${roles}${session.user.offices.length ? ` · ${session.user.offices.join(", ")}` : ""}` },
      session.user.display_name || session.user.username,
    ),
    h("button", { type: "button", class: "button button-quiet", id: "sign-out", onclick: () => void doSignOut() }, "Sign out"),
  );
}

async function doSignOut(): Promise<void> {
  try {
    await signOut();
  } catch {
    // Signed out locally either way; the server forgets the session when it expires.
  }
  navigate("/sign-in", { replace: true });
  announce("Signed out.");
}

function focusHeading(): void {
  const title = main.querySelector<HTMLElement>("h1");
  (title ?? main).focus({ preventScroll: false });
}

function finish(title: string): void {
  document.title = `${title} · Cordon`;
  if (pageShown) focusHeading();
  pageShown = true;
  announce(title);
  performance.mark("cordon:page-rendered");
  document.documentElement.dataset.ready = "true";
}

async function render(): Promise<void> {
  const renderId = ++renderCount;
  if (leavePage) {
    leavePage.controller.abort();
    try {
      leavePage.cleanup?.();
    } catch (error) {
      console.error(error);
    }
    leavePage = null;
  }
  delete document.documentElement.dataset.ready;
  const { path, query } = parseHash();
  const session = currentSession();

  if (path === "/sign-in") {
    if (session) {
      navigate(query.get("next") ? safeNext(query.get("next")) : homePath(session) || "/", { replace: true });
      return;
    }
    renderChrome(null, path);
    const notice = query.get("reason") === "expired" ? "Your session has ended. Sign in again to go on." : undefined;
    const title = renderSignIn(main, () => navigate(safeNext(query.get("next")), { replace: true }), notice);
    const first = !pageShown;
    finish(title);
    if (first) document.getElementById("signin-username")?.focus();
    return;
  }
  if (!session) {
    const next = path === "/" ? "" : `?next=${encodeURIComponent(path + (query.toString() ? `?${query}` : ""))}`;
    navigate(`/sign-in${next}`, { replace: true });
    return;
  }
  renderChrome(session, path);
  if (path === "/") {
    const home = homePath(session);
    if (home) navigate(home, { replace: true });
    else finish(renderHome(main, session.user.display_name || session.user.username));
    return;
  }
  const match = matchRoute(path);
  if (!match) {
    finish(renderNotFound(main));
    return;
  }
  if (match.route.area && !mayEnter(session.user.roles, match.route.area)) {
    finish(renderRefused(main));
    return;
  }

  const controller = new AbortController();
  leavePage = { controller, cleanup: undefined };
  replaceChildren(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let title = "Cordon";
  try {
    const module = await match.route.load();
    if (renderId !== renderCount) return;
    const root = h("div", { class: "page", "data-page": match.route.id });
    const cleanup = await module.render({
      root,
      params: match.params,
      query,
      session,
      signal: controller.signal,
      navigate,
      setTitle: (text) => {
        title = text;
        document.title = `${text} · Cordon`;
      },
    });
    if (renderId !== renderCount) {
      cleanup?.();
      return;
    }
    leavePage.cleanup = cleanup;
    replaceChildren(main, root);
    if (!root.querySelector("h1")) root.prepend(heading(title));
    finish(title);
  } catch (error) {
    if (renderId !== renderCount) return;
    if (error instanceof DOMException && error.name === "AbortError") return;
    if (error instanceof ApiError && error.status === 403) {
      finish(renderRefused(main, "The server refused this page's data to your roles. If your work needs it, ask an administrator to change your roles."));
    } else if (error instanceof ApiError && error.status === 401) {
      // onUnauthenticated already sent the officer to sign-in.
    } else {
      console.error(error);
      finish(renderFailure(main, error, () => void render()));
    }
  }
}

onUnauthenticated(() => {
  if (!currentSession()) return;
  forgetSession();
  const { path, query } = parseHash();
  const next = `${path}${query.toString() ? `?${query}` : ""}`;
  navigate(`/sign-in?reason=expired&next=${encodeURIComponent(next)}`, { replace: true });
});

// Hash routing would read "#main" as a route; the skip link moves focus itself instead.
document.getElementById("skip-link")?.addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
});

window.addEventListener("hashchange", () => {
  if (window.location.hash.startsWith("#/") || window.location.hash === "") void render();
});

async function start(): Promise<void> {
  try {
    await probeSession();
  } catch (error) {
    header.hidden = true;
    finish(renderFailure(main, error, () => void start()));
    return;
  }
  await render();
}

void start();
