// Planned routes on the map: the corridor (a band as wide as the allowed distance from the road,
// redrawn to scale at each zoom), the road itself, and the zones (stops allowed, the unsealing
// zone at destination). Drawn on the map's canvas, under the vehicles.
import L from "leaflet";
import type { Route } from "../../api/types";

const ZONE_COLOURS: Record<string, string> = {
  unsealing: "#1e7b34",
  customs_office: "#1e7b34",
  border_crossing: "#6b3fa0",
  rest_area: "#0b5cad",
  parking: "#0b5cad",
};

/** Metres per screen pixel at a latitude and zoom (Web Mercator, 256-pixel tiles). */
export function metresPerPixel(lat: number, zoom: number): number {
  return (156543.03392 * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom;
}

export interface RouteLayer {
  /** Shows exactly these routes; `highlight` is drawn stronger (the selected journey's). */
  show(routes: readonly Route[], highlight?: string | null): void;
  bounds(routeId: string): L.LatLngBounds | null;
  destroy(): void;
}

export function createRouteLayer(map: L.Map): RouteLayer {
  // Its own pane and canvas, above the basemap (which is drawn when its shapes have loaded).
  map.createPane("cordon-routes").style.zIndex = "420";
  const renderer = L.canvas({ pane: "cordon-routes", padding: 0.3 });
  const group = L.layerGroup().addTo(map);
  const corridors: { line: L.Polyline; halfWidth: number; lat: number }[] = [];
  const known = new Map<string, Route>();

  const rescale = () => {
    const zoom = map.getZoom();
    for (const corridor of corridors) {
      const weight = (2 * corridor.halfWidth) / metresPerPixel(corridor.lat, zoom);
      corridor.line.setStyle({ weight: Math.max(3, Math.min(weight, 600)) });
    }
  };
  map.on("zoomend", rescale);

  return {
    show(routes, highlight) {
      group.clearLayers();
      corridors.length = 0;
      for (const route of routes) {
        known.set(route.id, route);
        if (route.points.length < 2) continue;
        const strong = route.id === highlight;
        const meanLat = route.points.reduce((sum, point) => sum + point[0], 0) / route.points.length;
        const corridor = L.polyline(route.points, {
          color: strong ? "#0b5cad" : "#5b7da3",
          opacity: strong ? 0.28 : 0.16,
          lineCap: "round",
          lineJoin: "round",
          interactive: false,
          renderer,
        });
        corridors.push({ line: corridor, halfWidth: route.corridor_half_width_m, lat: meanLat });
        group.addLayer(corridor);
        group.addLayer(
          L.polyline(route.points, { color: strong ? "#084a8c" : "#36587d", weight: strong ? 2.5 : 1.5, dashArray: strong ? undefined : "6 4", interactive: false, renderer }),
        );
        for (const zone of route.zones) {
          const colour = ZONE_COLOURS[zone.kind] ?? "#0b5cad";
          group.addLayer(
            L.polygon(zone.polygon, { color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.18, interactive: true, renderer }).bindTooltip(
              `${zone.id} (${zone.kind.replace(/_/g, " ")}${zone.max_stay_s ? `, stay up to ${Math.round(zone.max_stay_s / 60)} min` : ""})`,
            ),
          );
        }
      }
      rescale();
    },
    bounds(routeId) {
      const route = known.get(routeId);
      if (!route || route.points.length === 0) return null;
      const bounds = L.latLngBounds(route.points);
      for (const zone of route.zones) for (const point of zone.polygon) bounds.extend(point);
      return bounds;
    },
    destroy() {
      map.off("zoomend", rescale);
      group.remove();
      corridors.length = 0;
      known.clear();
    },
  };
}
