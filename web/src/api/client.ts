// The one place the console talks HTTP. Every request is same-origin and carries the session
// cookie; every non-GET request also carries the CSRF token the session handed out.
// 401 and 403 are not handled here but reported as ApiError so the router can react in one place.
import type { ErrorBody, FieldError } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];

  constructor(status: number, body: ErrorBody | null, fallback: string) {
    super(body?.message || fallback);
    this.name = "ApiError";
    this.status = status;
    this.code = body?.error ?? (status === 0 ? "network" : `http_${status}`);
    this.fieldErrors = Array.isArray(body?.errors) ? body!.errors! : [];
  }
}

type Listener = (error: ApiError) => void;

let csrfToken: string | null = null;
const authListeners = new Set<Listener>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called for every 401 on a request that was made with a session (the session ended). */
export function onUnauthenticated(listener: Listener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sent as it is (a file's bytes) with this Content-Type, instead of `body` as JSON. */
  raw?: { data: Blob | ArrayBuffer | string; type: string };
  signal?: AbortSignal;
  /** Do not announce a 401 to the listeners (the sign-in and session probe expect it). */
  quietUnauthenticated?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.raw) headers["Content-Type"] = options.raw.type;
  else if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.raw ? options.raw.data : options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, null, "The server cannot be reached.");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const body = parsed && typeof parsed === "object" && "error" in parsed ? (parsed as ErrorBody) : null;
    const error = new ApiError(response.status, body, `The server answered ${response.status} ${response.statusText}.`);
    if (response.status === 401 && !options.quietUnauthenticated) {
      for (const listener of authListeners) listener(error);
    }
    throw error;
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>("GET", path, options),
  post: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>("POST", path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>("PATCH", path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>("PUT", path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
};
