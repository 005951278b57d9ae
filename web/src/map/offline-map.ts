// A map that works with no network: the basemap is drawn from Natural Earth country shapes
// shipped in the world-atlas npm package (served from the console's own assets), and points are
// clustered (supercluster by default) so that tens of thousands stay responsive.
//
// Pages that show a map (the supervision centre, later) import this module; it is its own chunk,
// so the rest of the console does not carry Leaflet.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
// The cluster look (sizes and colours) of leaflet.markercluster, used by both engines.
import "leaflet.markercluster/dist/MarkerCluster.Default.css";
import "./offline-map.css";
import type { MapPoint, PointLayer } from "./points";
import { createSuperclusterLayer } from "./supercluster-layer";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countries110mUrl from "world-atlas/countries-110m.json?url";
import countries50mUrl from "world-atlas/countries-50m.json?url";

export type { MapPoint } from "./points";

export interface OfflineMapOptions {
  /** The map's accessible name. */
  label: string;
  center?: [number, number];
  zoom?: number;
  /** 110m draws fastest; 50m keeps borders right at regional zoom. */
  detail?: "110m" | "50m";
  onSelect?: (point: MapPoint) => void;
  /**
   * How points are clustered. Default: supercluster (see README for the measured comparison with
   * leaflet.markercluster, which tests/perf can still pass here as createMarkerClusterLayer).
   */
  pointLayer?: (map: L.Map, onSelect?: (point: MapPoint) => void) => PointLayer;
}

export interface OfflineMap extends PointLayer {
  readonly map: L.Map;
  /** Resolves when the country shapes are drawn. */
  readonly ready: Promise<void>;
}

const BASEMAP_URLS = { "110m": countries110mUrl, "50m": countries50mUrl } as const;
const topologyCache = new Map<string, Promise<GeoJSON.FeatureCollection>>();

function loadCountries(detail: "110m" | "50m"): Promise<GeoJSON.FeatureCollection> {
  let pending = topologyCache.get(detail);
  if (!pending) {
    pending = fetch(BASEMAP_URLS[detail], { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(`basemap ${detail}: HTTP ${response.status}`);
        return response.json() as Promise<Topology>;
      })
      .then((topology) => {
        const countries = topology.objects.countries as GeometryCollection;
        const collection = feature(topology, countries) as unknown as GeoJSON.FeatureCollection;
        for (const item of collection.features) item.geometry = unwrapGeometry(item.geometry)!;
        return collection;
      });
    pending.catch(() => topologyCache.delete(detail));
    topologyCache.set(detail, pending);
  }
  return pending;
}

type Ring = GeoJSON.Position[];

/**
 * world-atlas stitches shapes across the antimeridian for spherical renderers; on Leaflet's flat
 * map a ring that jumps from 180° to -180° would draw a band across the world. Unwrap each ring so
 * its longitudes run on continuously (Chukotka goes past 180°), and close a ring that goes round a
 * pole (Antarctica) along the pole.
 */
export function unwrapRing(ring: Ring): Ring {
  if (ring.length === 0) return ring;
  const out: Ring = [];
  let offset = 0;
  let previous = ring[0]![0]!;
  for (const [lng, lat] of ring as [number, number][]) {
    if (lng - previous > 180) offset -= 360;
    else if (lng - previous < -180) offset += 360;
    previous = lng;
    out.push([lng + offset, lat]);
  }
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (Math.abs(last[0]! - first[0]!) > 180) {
    const meanLat = out.reduce((sum, point) => sum + point[1]!, 0) / out.length;
    const pole = meanLat < 0 ? -90 : 90;
    out.push([last[0]!, pole], [first[0]!, pole], [first[0]!, first[1]!]);
  }
  return out;
}

function unwrapGeometry(geometry: GeoJSON.Geometry | null): GeoJSON.Geometry | null {
  if (!geometry) return geometry;
  if (geometry.type === "Polygon") return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
  if (geometry.type === "MultiPolygon")
    return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(unwrapRing)) };
  return geometry;
}

export function createOfflineMap(container: HTMLElement, options: OfflineMapOptions): OfflineMap {
  container.classList.add("offline-map");
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", options.label);
  const renderer = L.canvas({ padding: 0.3 });
  const map = L.map(container, {
    center: options.center ?? [50, 15],
    zoom: options.zoom ?? 4,
    minZoom: 2,
    maxZoom: 14,
    worldCopyJump: true,
    preferCanvas: true,
    renderer,
    attributionControl: true,
    keyboard: true,
  });
  map.attributionControl.setPrefix("Leaflet").addAttribution("Country shapes: Natural Earth");

  const ready = loadCountries(options.detail ?? "50m").then((countries) => {
    L.geoJSON(countries, {
      interactive: false,
      style: { color: "#8a9aa9", weight: 0.8, fillColor: "#f2efe6", fillOpacity: 1 },
      renderer,
    } as L.GeoJSONOptions).addTo(map);
  });

  const points = (options.pointLayer ?? createSuperclusterLayer)(map, options.onSelect);

  return {
    map,
    ready,
    get size() {
      return points.size;
    },
    setPoints: (list) => points.setPoints(list),
    upsert: (list) => points.upsert(list),
    remove: (ids) => points.remove(ids),
    destroy() {
      points.destroy();
      map.remove();
    },
  };
}
