import type { Channel } from "../api/types";
import { h } from "./dom";

/** "2026-02-03 16:13 UTC": officers across offices and time zones read the same time. */
export function formatTimestamp(value: string | undefined | null): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function timeElement(value: string | undefined | null): HTMLElement {
  if (!value) return h("span", null, "—");
  return h("time", { datetime: value, title: value }, formatTimestamp(value));
}

const numberFormat = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 });

export function formatNumber(value: number | undefined | null): string {
  return value === undefined || value === null ? "—" : numberFormat.format(value);
}

export function formatMoney(amount: number | undefined, currency: string | undefined): string {
  if (amount === undefined) return "—";
  return `${new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)} ${currency ?? ""}`.trim();
}

export function humanise(code: string | undefined | null): string {
  if (!code) return "—";
  const text = code.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const CHANNEL_LABEL: Record<Channel, string> = { green: "Green", yellow: "Yellow", red: "Red" };

/** Channel as colour and word, so that it does not depend on seeing colour. */
export function channelBadge(channel: Channel | null | undefined): HTMLElement {
  if (!channel) return h("span", { class: "badge badge-none" }, "Not assessed");
  const label = CHANNEL_LABEL[channel] ?? humanise(channel);
  return h("span", { class: `badge badge-${channel}` }, h("span", { class: "badge-dot", "aria-hidden": "true" }), label);
}
