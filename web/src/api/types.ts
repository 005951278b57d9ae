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
