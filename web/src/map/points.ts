import L from "leaflet";

export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  /** Read by screen readers and shown as the marker's tooltip. */
  label: string;
  /** A CSS-safe word that selects the marker's look (e.g. "moving", "alarm"). */
  kind?: string;
}

/** A clustered set of points on a map. */
export interface PointLayer {
  /** Replaces every point; resolves when they are on the map. */
  setPoints(points: readonly MapPoint[]): Promise<void>;
  /** Adds points, or moves and restyles the ones whose id is known. */
  upsert(points: readonly MapPoint[]): void;
  remove(ids: readonly string[]): void;
  readonly size: number;
  destroy(): void;
}

const icons = new Map<string, L.DivIcon>();
export function pointIcon(kind: string | undefined): L.DivIcon {
  const key = kind ?? "default";
  let icon = icons.get(key);
  if (!icon) {
    icon = L.divIcon({ className: `map-point map-point-${key}`, iconSize: [12, 12], html: "" });
    icons.set(key, icon);
  }
  return icon;
}
