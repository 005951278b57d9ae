// The signed-in officer, as the server reported it. Held in memory only: the session itself is
// an HttpOnly cookie the console never sees.
import { api, ApiError, setCsrfToken } from "./api/client";
import type { Session } from "./api/types";

let current: Session | null = null;

export function currentSession(): Session | null {
  return current;
}

function adopt(session: Session | null): Session | null {
  current = session;
  setCsrfToken(session?.csrf_token ?? null);
  return session;
}

/** Asks the server whether the cookie still names a session. */
export async function probeSession(): Promise<Session | null> {
  try {
    return adopt(await api.get<Session>("/api/v1/session", { quietUnauthenticated: true }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return adopt(null);
    throw error;
  }
}

export async function signIn(username: string, password: string): Promise<Session> {
  const session = await api.post<Session>("/api/v1/session", { username, password }, { quietUnauthenticated: true });
  return adopt(session)!;
}

export async function signOut(): Promise<void> {
  try {
    await api.delete<void>("/api/v1/session", { quietUnauthenticated: true });
  } finally {
    adopt(null);
  }
}

/** The server said the session is gone (expired, revoked): forget it locally. */
export function forgetSession(): void {
  adopt(null);
}
