// Clustering with leaflet.markercluster: every point is a Leaflet marker in a cluster tree.
import L from "leaflet";
import "leaflet.markercluster"; // extends the L that Leaflet's bundle puts on window
import "leaflet.markercluster/dist/MarkerCluster.css";
import { pointIcon, type MapPoint, type PointLayer } from "./points";

export function createMarkerClusterLayer(map: L.Map, onSelect?: (point: MapPoint) => void): PointLayer {
  const clusters = L.markerClusterGroup({
    chunkedLoading: true,
    chunkInterval: 100,
    removeOutsideVisibleBounds: true,
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    maxClusterRadius: 60,
  });
  clusters.addTo(map);
  const markers = new Map<string, { marker: L.Marker; point: MapPoint }>();

  const makeMarker = (point: MapPoint): L.Marker => {
    const marker = L.marker([point.lat, point.lng], { icon: pointIcon(point.kind), title: point.label, alt: point.label, keyboard: true });
    if (onSelect) marker.on("click keypress", () => onSelect(markers.get(point.id)?.point ?? point));
    return marker;
  };

  return {
    get size() {
      return markers.size;
    },
    setPoints(points) {
      clusters.clearLayers();
      markers.clear();
      const layers: L.Marker[] = [];
      for (const point of points) {
        const marker = makeMarker(point);
        markers.set(point.id, { marker, point });
        layers.push(marker);
      }
      return new Promise<void>((resolve) => {
        // chunkedLoading adds in slices between frames; the last progress call means done.
        const group = clusters as L.MarkerClusterGroup & { options: L.MarkerClusterGroupOptions };
        const previous = group.options.chunkProgress;
        group.options.chunkProgress = (processed: number, total: number, elapsed: number) => {
          previous?.(processed, total, elapsed);
          if (processed >= total) {
            group.options.chunkProgress = previous;
            resolve();
          }
        };
        if (layers.length === 0) resolve();
        clusters.addLayers(layers);
      });
    },
    upsert(points) {
      const moved: { marker: L.Marker; point: MapPoint }[] = [];
      const added: L.Marker[] = [];
      for (const point of points) {
        const known = markers.get(point.id);
        if (known) {
          if (known.point.kind !== point.kind) known.marker.setIcon(pointIcon(point.kind));
          known.point = point;
          moved.push(known);
        } else {
          const marker = makeMarker(point);
          markers.set(point.id, { marker, point });
          added.push(marker);
        }
      }
      // A clustered marker cannot move in place: take it out, move it, put it back.
      const movedMarkers = moved.map((entry) => entry.marker);
      if (movedMarkers.length) clusters.removeLayers(movedMarkers);
      for (const entry of moved) entry.marker.setLatLng([entry.point.lat, entry.point.lng]);
      clusters.addLayers([...movedMarkers, ...added]);
    },
    remove(ids) {
      const gone: L.Marker[] = [];
      for (const id of ids) {
        const entry = markers.get(id);
        if (entry) {
          gone.push(entry.marker);
          markers.delete(id);
        }
      }
      clusters.removeLayers(gone);
    },
    destroy() {
      clusters.remove();
      markers.clear();
    },
  };
}
