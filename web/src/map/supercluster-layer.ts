// Clustering with supercluster: a static k-d tree index over all points, queried for the visible
// box at each zoom; only what is visible becomes DOM markers, and markers are reused between
// views. Live position updates rebuild the index (about 10–20 ms for 10,000 points) at most a few
// times a second instead of moving markers one by one through a cluster tree.
import L from "leaflet";
import Supercluster, { type ClusterProperties, type PointFeature } from "supercluster";
import { pointIcon, type MapPoint, type PointLayer } from "./points";

interface PointProperties {
  id: string;
}

const REBUILD_INTERVAL_MS = 250;
/**
 * Up to this many single points in view are DOM markers (focusable, with a title); beyond it they
 * are drawn on a canvas, because hundreds of DOM markers make every zoom animation frame slow.
 */
const DOM_POINT_LIMIT = 150;

const KIND_COLOURS: Record<string, string> = { alarm: "#a4161a", stopped: "#7a5b00", site: "#e8590c" };

function clusterIcon(count: number): L.DivIcon {
  const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
  return L.divIcon({
    html: `<div><span>${count}</span></div>`,
    className: `marker-cluster marker-cluster-${size}`,
    iconSize: [40, 40],
  });
}

export function createSuperclusterLayer(map: L.Map, onSelect?: (point: MapPoint) => void): PointLayer {
  const points = new Map<string, MapPoint>();
  const group = L.layerGroup().addTo(map);
  map.createPane("cordon-points").style.zIndex = "450";
  const canvas = L.canvas({ pane: "cordon-points", padding: 0.25 });
  const shown = new Map<string, { marker: L.Marker | L.CircleMarker; signature: string }>();
  let index: Supercluster<PointProperties> | null = null;
  let rebuildTimer: number | null = null;
  let lastRebuild = 0;

  const rebuild = () => {
    const features: PointFeature<PointProperties>[] = [];
    for (const point of points.values()) {
      features.push({ type: "Feature", properties: { id: point.id }, geometry: { type: "Point", coordinates: [point.lng, point.lat] } });
    }
    index = new Supercluster<PointProperties>({ radius: 80, maxZoom: 15, minPoints: 3 }).load(features);
    lastRebuild = performance.now();
    draw();
  };

  const scheduleRebuild = () => {
    if (rebuildTimer !== null) return;
    const wait = Math.max(0, REBUILD_INTERVAL_MS - (performance.now() - lastRebuild));
    rebuildTimer = window.setTimeout(() => {
      rebuildTimer = null;
      rebuild();
    }, wait);
  };

  const draw = () => {
    if (!index) return;
    const bounds = map.getBounds().pad(0.1);
    const west = Math.max(-180, bounds.getWest());
    const east = Math.min(180, bounds.getEast());
    const south = Math.max(-85, bounds.getSouth());
    const north = Math.min(85, bounds.getNorth());
    const zoom = Math.round(map.getZoom());
    const wanted = new Set<string>();
    const items = index.getClusters([west, south, east, north], zoom);
    let singles = 0;
    for (const item of items) if (!(item.properties as Partial<ClusterProperties>).cluster) singles += 1;
    const onCanvas = singles > DOM_POINT_LIMIT;
    for (const item of items) {
      const [lng, lat] = item.geometry.coordinates as [number, number];
      const properties = item.properties as Partial<ClusterProperties> & Partial<PointProperties>;
      if (properties.cluster) {
        const key = `c${zoom}:${properties.cluster_id}`;
        const signature = `${properties.point_count}`;
        wanted.add(key);
        const existing = shown.get(key);
        if (existing && existing.signature === signature) {
          existing.marker.setLatLng([lat, lng]);
          continue;
        }
        if (existing) group.removeLayer(existing.marker);
        const count = properties.point_count!;
        const marker = L.marker([lat, lng], {
          icon: clusterIcon(count),
          title: `${count} points here; select to zoom in`,
          alt: `${count} points`,
          keyboard: true,
        });
        const clusterId = properties.cluster_id!;
        const expand = () => map.setView([lat, lng], Math.min(index!.getClusterExpansionZoom(clusterId), map.getMaxZoom()));
        marker.on("click", expand);
        marker.on("keypress", (event: L.LeafletKeyboardEvent) => {
          if (event.originalEvent.key === "Enter" || event.originalEvent.key === " ") expand();
        });
        group.addLayer(marker);
        shown.set(key, { marker, signature });
      } else {
        const point = points.get(properties.id!);
        if (!point) continue;
        const key = `${onCanvas ? "q" : "p"}:${point.id}`;
        const signature = point.kind ?? "";
        wanted.add(key);
        const existing = shown.get(key);
        if (existing && existing.signature === signature) {
          existing.marker.setLatLng([point.lat, point.lng]);
          continue;
        }
        if (existing) group.removeLayer(existing.marker);
        const colour = KIND_COLOURS[point.kind ?? ""] ?? "#0b5cad";
        const marker = onCanvas
          ? L.circleMarker([point.lat, point.lng], { renderer: canvas, radius: 5, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 1 })
          : L.marker([point.lat, point.lng], { icon: pointIcon(point.kind), title: point.label, alt: point.label, keyboard: true });
        if (onSelect) marker.on("click keypress", () => onSelect(points.get(point.id) ?? point));
        group.addLayer(marker);
        shown.set(key, { marker, signature });
      }
    }
    for (const [key, entry] of shown) {
      if (!wanted.has(key)) {
        group.removeLayer(entry.marker);
        shown.delete(key);
      }
    }
  };

  map.on("moveend", draw);

  return {
    get size() {
      return points.size;
    },
    async setPoints(list) {
      points.clear();
      for (const point of list) points.set(point.id, point);
      rebuild();
    },
    upsert(list) {
      for (const point of list) points.set(point.id, point);
      scheduleRebuild();
    },
    remove(ids) {
      for (const id of ids) points.delete(id);
      scheduleRebuild();
    },
    destroy() {
      if (rebuildTimer !== null) window.clearTimeout(rebuildTimer);
      map.off("moveend", draw);
      group.remove();
      shown.clear();
      points.clear();
    },
  };
}
