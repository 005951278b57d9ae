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
export type Area = "declarations" | "administration";

export const AREA_ROLES: Record<Area, readonly Role[]> = {
  declarations: ["risk_analyst", "targeting_officer", "supervision_officer", "national_contact_point"],
  administration: ["administrator"],
};

export function mayEnter(roles: readonly Role[], area: Area): boolean {
  const allowed = AREA_ROLES[area];
  return roles.some((role) => allowed.includes(role));
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}
