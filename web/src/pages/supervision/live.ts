// The alarm feed: a WebSocket to /api/v1/alarms/live (same origin, the session cookie
// authenticates the upgrade) that reconnects with backoff. After a reconnection the page reloads
// the queue, since changes made while the socket was down were not pushed.
import { api } from "../../api/client";
import type { Alarm } from "../../api/types";

export type FeedStatus = "connecting" | "live" | "reconnecting" | "closed";

export interface AlarmFeedHandlers {
  onAlarm(alarm: Alarm): void;
  onStatus(status: FeedStatus, detail?: string): void;
  /** Called after a reconnection: fetch what was missed. */
  onResync(): void;
}

export function liveUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/api/v1/alarms/live`;
}

export class AlarmFeed {
  private socket: WebSocket | null = null;
  private retryTimer: number | null = null;
  private attempts = 0;
  private everOpen = false;
  private stopped = false;

  constructor(private readonly handlers: AlarmFeedHandlers) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.handlers.onStatus(this.everOpen ? "reconnecting" : "connecting");
    let socket: WebSocket;
    try {
      socket = new WebSocket(liveUrl());
    } catch (error) {
      this.scheduleRetry(String(error));
      return;
    }
    this.socket = socket;
    socket.addEventListener("message", (event) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!message || typeof message !== "object") return;
      const typed = message as { type?: string; alarm?: Alarm };
      if (typed.type === "hello") {
        const resync = this.everOpen;
        this.everOpen = true;
        this.attempts = 0;
        this.handlers.onStatus("live");
        if (resync) this.handlers.onResync();
      } else if (typed.type === "alarm" && typed.alarm) {
        this.handlers.onAlarm(typed.alarm);
      }
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (!this.stopped) this.scheduleRetry();
    });
  }

  private scheduleRetry(detail?: string): void {
    if (this.stopped || this.retryTimer !== null) return;
    this.attempts += 1;
    const delay = Math.min(15_000, 1000 * 2 ** Math.min(this.attempts - 1, 4));
    this.handlers.onStatus("reconnecting", detail ?? `next attempt in ${Math.round(delay / 1000)} s`);
    this.retryTimer = window.setTimeout(async () => {
      this.retryTimer = null;
      // A refused upgrade looks like any closed socket; ask the session route, whose 401 sends
      // the officer to sign-in (and whose network failure means the server is down).
      try {
        await api.get("/api/v1/session", { quietUnauthenticated: false });
      } catch {
        // The next attempt (or the sign-in page) follows.
      }
      this.connect();
    }, delay);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.handlers.onStatus("closed");
  }
}
