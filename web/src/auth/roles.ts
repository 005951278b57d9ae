// Role names and who may see which part of the console.
//
// The server is the authority: every API endpoint checks the caller's roles and answers 403.
// This table only decides which links the console shows and which pages it refuses up front,
// so that an officer is not offered a page whose data the server would refuse. When the server
// refuses anyway, the page shows the same refusal.
import type { Role } from "../api/types";

export const ROLE_LABELS: Record<Role, string> = {
  risk_analyst: "Risk analyst",
  targeting_officer: "Targeting officer",
  supervision_officer: "Supervision officer",
  patrol_officer: "Patrol officer",
  intelligence_limited: "Intelligence officer (limited)",
  intelligence_readonly: "Intelligence officer (read-only)",
  intelligence_full: "Intelligence officer (full)",
  national_contact_point: "National contact point",
  administrator: "Administrator",
  submitter: "Submitter (machine client)",
  monitoring: "Monitoring (machine client)",
};

export const ALL_ROLES = Object.keys(ROLE_LABELS) as Role[];

/** Areas of the console; a page belongs to one. */
export type Area = "declarations" | "profiles" | "supervision" | "lists" | "administration";

export const AREA_ROLES: Record<Area, readonly Role[]> = {
  declarations: ["risk_analyst", "targeting_officer", "supervision_officer", "national_contact_point"],
  profiles: ["risk_analyst"],
  // A patrol officer sees the alarms dispatched to them; journeys and devices are the centre's.
  supervision: ["supervision_officer", "patrol_officer"],
  // Reading the lists is open to targeting officers too; importing needs risk_analyst or administrator.
  lists: ["administrator", "risk_analyst", "targeting_officer"],
  administration: ["administrator"],
};

/** Roles that may do something (not only see it); the server checks again. */
export const ACTION_ROLES = {
  controlResult: ["targeting_officer", "risk_analyst"],
  override: ["targeting_officer", "risk_analyst"],
  decision: ["risk_analyst", "targeting_officer", "national_contact_point"],
  importList: ["risk_analyst", "administrator"],
  superviseJourneys: ["supervision_officer"],
} satisfies Record<string, readonly Role[]>;

export function may(roles: readonly Role[], action: keyof typeof ACTION_ROLES): boolean {
  const allowed: readonly Role[] = ACTION_ROLES[action];
  return roles.some((role) => allowed.includes(role));
}

export function mayEnter(roles: readonly Role[], area: Area): boolean {
  const allowed = AREA_ROLES[area];
  return roles.some((role) => allowed.includes(role));
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}
