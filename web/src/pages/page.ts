// The contract between the shell and a page module. Each page lives in its own module, loaded
// on demand, so a new engine's pages (screening hits, risk profiles, supervision map, …) are
// added by writing one module and one entry in routes.ts.
import type { Session } from "../api/types";

export interface PageContext {
  /** The element the page renders into; the shell empties it before each page. */
  root: HTMLElement;
  /** Named segments of the route pattern, e.g. {id: "42"} for /declarations/:id. */
  params: Record<string, string>;
  /** The query part of the route (#/declarations?office=NL000396). */
  query: URLSearchParams;
  session: Session;
  /** Aborted when the officer leaves the page: pass it to fetches. */
  signal: AbortSignal;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** Sets the document title and the page heading's text. */
  setTitle(title: string): void;
}

export type Cleanup = () => void;

export interface PageModule {
  render(context: PageContext): Promise<Cleanup | void> | Cleanup | void;
}
