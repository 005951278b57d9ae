// Types of the Cordon HTTP API as the console uses them (docs/api/openapi.yaml is the reference).

export type Role =
  | "risk_analyst"
  | "targeting_officer"
  | "supervision_officer"
  | "patrol_officer"
  | "intelligence_limited"
  | "intelligence_readonly"
  | "intelligence_full"
  | "national_contact_point"
  | "administrator"
  | "submitter"
  | "monitoring";

export interface FieldError {
  path: string;
  rule: string;
  message: string;
}

export interface ErrorBody {
  error: string;
  message?: string;
  errors?: FieldError[];
}

export interface User {
  username: string;
  display_name: string;
  roles: Role[];
  offices: string[];
}

export interface Session {
  user: User;
  csrf_token: string;
}

export interface UserRecord extends User {
  disabled: boolean;
  locked_until: string | null;
  created_at: string;
}

export type Channel = "green" | "yellow" | "red";
export type DeclarationKind = "entry_summary" | "transit" | "import";
export type TransportMode = "sea" | "air" | "road" | "rail" | "postal" | "inland_waterway" | "fixed_installation";

export interface DeclarationSummary {
  id: number;
  reference: string;
  kind: DeclarationKind;
  mode: TransportMode;
  declarant: { name: string; eori?: string };
  consignor_name?: string;
  consignee_name?: string;
  office_of_first_entry?: string;
  lodged_at?: string;
  received_at?: string;
  goods_count?: number;
  channel: Channel | null;
  /** Risk score of the latest assessment. */
  score?: number | null;
  hit_count?: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Address {
  street?: string;
  city?: string;
  postcode?: string;
  country?: string;
}

export interface PartyFields {
  name: string;
  name_original?: string;
  address?: Address;
  eori?: string;
  tin?: string;
}

export interface Party extends PartyFields {
  role: string;
}

export interface GoodsItem {
  description: string;
  hs_code: string;
  gross_mass_kg: number;
  net_mass_kg?: number;
  packages?: { count: number; kind?: string };
  value: { amount: number; currency: string };
  origin_country: string;
  containers?: string[];
}

export interface Transport {
  vessel_imo?: string;
  vessel_name?: string;
  flight_number?: string;
  vehicle_plate?: string;
  vehicle_country?: string;
  vehicle_vin?: string;
  trailer_plate?: string;
  trailer_country?: string;
  trailer_vin?: string;
}

export interface Routing {
  countries?: string[];
  place_of_loading?: string;
  place_of_unloading?: string;
}

export interface Transit {
  mrn?: string;
  office_of_departure: string;
  offices_of_transit?: string[];
  office_of_destination: string;
  seals?: string[];
  devices?: string[];
  time_limit?: string;
}

export interface Declaration {
  reference: string;
  kind?: DeclarationKind;
  mode: TransportMode;
  declarant: PartyFields;
  loading_date?: string;
  arrival_date?: string;
  office_of_first_entry?: string;
  lodged_at?: string;
  parties?: Party[];
  goods: GoodsItem[];
  transport?: Transport;
  routing?: Routing;
  transit?: Transit;
}

export interface Assessment {
  channel: Channel;
  score?: number;
  assessed_at?: string;
  reasons?: unknown;
}

export interface DeclarationRecord {
  id: number;
  received_at: string;
  declaration: Declaration;
  assessment?: Assessment;
}

// --- screening (GET /api/v1/declarations/{id}/hits, GET /api/v1/watchlists)

export interface WatchlistEntity {
  id: string;
  type: string;
  list: string;
  names?: { name: string; kind?: string; script?: string }[];
  dates_of_birth?: string[];
  nationalities?: string[];
  addresses?: { text: string; country?: string }[];
  identifiers?: { type: string; value: string; country?: string; note?: string }[];
  programme?: string;
  listed_on?: string;
  instruction?: string;
  remarks?: string;
}

export interface ScreeningHit {
  path: string;
  value: string;
  list: string;
  entity_id: string;
  score: number;
  matched_field: string;
  matched_value: string;
  query_value: string;
  explanation: string;
  raised_at: string;
  raised_by: string;
  entity?: WatchlistEntity;
}

export interface WatchlistImport {
  list: string;
  version: number;
  imported_at: string;
  actor: string;
  source: string;
  added: number;
  changed: number;
  removed: number;
  entity_count: number;
}

export interface Watchlists {
  lists: { list: string; version: number; entity_count: number }[];
  imports: WatchlistImport[];
}

export interface WatchlistImportReport {
  list: string;
  version: number;
  added: number;
  changed: number;
  removed: number;
  entity_count: number;
  rescreened_declarations: number;
  new_hits: number;
}

// --- decisions (GET /api/v1/declarations/{id}/decision)

export interface FiredProfile {
  id: string;
  version: number;
  weight: number;
  channel: string;
  risk_area: string;
  explanation: { text: string; value: unknown; detail: string }[];
}

export interface DecisionBody {
  channel: Channel;
  requested_channel: string;
  random: boolean;
  capacity_limited: boolean;
  score: number;
  profiles: FiredProfile[];
  hits: { list: string; entry: string; score: number; field: string }[];
  features: Record<string, number | boolean>;
  capacity: { day: string; capacity: number; used_risk: number; used_random: number; threshold: number };
  reason: string;
  versions?: Record<string, unknown>;
}

export interface DecisionLogEntry {
  seq: number;
  kind: "assessment" | "control_result" | "override" | string;
  at: string;
  hash: string;
  prev_hash: string;
  body: Record<string, unknown>;
}

export interface ControlResult {
  outcome: "no_irregularity" | "irregularity";
  category: string;
  seizure_reference: string;
  recorded_by: string;
  recorded_at: string;
}

export interface Decision {
  declaration_id: number;
  channel?: Channel;
  decision: DecisionBody;
  log: DecisionLogEntry[];
  control_result?: ControlResult;
}

// --- risk profiles

export type ProfileStatus = "draft" | "proposed" | "active" | "inactive";

export interface ProfileMetadata {
  title?: string;
  risk_area?: string;
  owner?: string;
  valid_from?: string;
  valid_to?: string;
  weight?: number;
  minimum_channel?: Channel;
  rationale?: string;
}

export interface Profile {
  id: string;
  version: number;
  status: ProfileStatus;
  source: string;
  metadata: ProfileMetadata;
  author: string;
  proposed_by: string;
  approved_by: string;
  created_at: string;
  changed_at: string;
}

export interface BacktestReport {
  id: string;
  version: number;
  from: string;
  to: string;
  declarations: number;
  selected: number;
  controlled: number;
  irregular: number;
  hit_rate: number;
  sample: number[];
}

export interface ProfilePerformance {
  id: string;
  selections: number;
  red: number;
  controlled: number;
  irregular: number;
  seizures: number;
  hit_rate: number;
  yield: number;
}

// --- supervision

export type LatLng = [number, number];

export interface Zone {
  id: string;
  kind: string;
  max_stay_s: number;
  polygon: LatLng[];
}

export interface Route {
  id: string;
  points: LatLng[];
  corridor_half_width_m: number;
  zones: Zone[];
}

export interface JourneyEvent {
  time: number;
  kind: string;
  actor: string;
  detail: string;
  alarm?: number;
}

export interface Journey {
  id: number;
  mrn: string;
  declaration: {
    mrn: string;
    office_of_departure: string;
    offices_of_transit: string[];
    office_of_destination: string;
    vehicle: string;
    container: string;
    device_ids: string[];
    goods_summary: string;
  };
  route_id: string;
  route?: Route;
  time_limit_s: number;
  status: "open" | "supervised" | "ended" | string;
  opened_at: number;
  sealed_at?: number;
  unsealed_at?: number;
  alarms: number[];
  events?: JourneyEvent[];
  grade: string;
  requires_red_channel: boolean;
  last_position?: LatLng;
  last_position_time?: number;
}

export interface Device {
  id: string;
  type: string;
  capabilities: string[];
  model: string;
  firmware: string;
  home_station: string;
  station: string;
  status: string;
  battery_percent?: number;
  battery_voltage?: number;
  last_contact?: number;
  status_since?: number;
}

export type AlarmState = "new" | "acknowledged" | "dispatched" | "resolved" | "false_alarm";

export interface AlarmStep {
  time: number;
  actor: string;
  to: AlarmState;
  comment?: string;
  patrol?: string;
  outcome?: string;
  photo?: string;
}

export interface Alarm {
  id: number;
  journey: number;
  device_id: string;
  type: string;
  grade: "info" | "warning" | "critical" | string;
  started_at: number;
  raised_at: number;
  cleared_at?: number;
  detail: string;
  state: AlarmState;
  outcome?: string;
  evidence: { time: number; value: number; note: string; position?: LatLng }[];
  history: AlarmStep[];
}
