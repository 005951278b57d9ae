// Performance page for the offline map: 10,000 synthetic vehicles along European trade lanes,
// clustered; then a scripted minute of an officer's work (pan, zoom in and out, live position
// updates) while every frame's duration is recorded. The browser test reads window.mapPerf.
import { createMarkerClusterLayer } from "../../src/map/markercluster-layer";
import { createOfflineMap, type MapPoint } from "../../src/map/offline-map";

const PARAMS = new URLSearchParams(location.search);
const VEHICLES = Number(PARAMS.get("vehicles") ?? 10000);
const CLUSTERING = PARAMS.get("clustering") === "markercluster" ? "markercluster" : "supercluster";
const DETAIL = PARAMS.get("detail") === "110m" ? "110m" : "50m";

// Mulberry32: the same vehicles every run.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES: [number, number][] = [
  [51.92, 4.48], [51.22, 4.4], [53.55, 9.99], [52.23, 21.01], [54.69, 25.28], [50.45, 30.52], [47.5, 19.04],
  [44.43, 26.1], [42.7, 23.32], [41.01, 28.98], [45.81, 15.98], [48.21, 16.37], [50.08, 14.44], [52.52, 13.4],
  [48.86, 2.35], [45.76, 4.84], [43.3, 5.37], [41.39, 2.17], [40.42, -3.7], [38.72, -9.14], [45.46, 9.19],
  [41.9, 12.5], [40.85, 14.27], [37.98, 23.73], [59.33, 18.07], [59.91, 10.75], [55.68, 12.57], [56.95, 24.11],
  [59.44, 24.75], [53.9, 27.56], [46.48, 30.73], [47.02, 28.83], [44.79, 20.45], [43.86, 18.41], [50.06, 19.94],
];

function makeVehicles(count: number): MapPoint[] {
  const rand = random(20240601);
  const points: MapPoint[] = [];
  for (let i = 0; i < count; i += 1) {
    const a = CITIES[Math.floor(rand() * CITIES.length)]!;
    const b = CITIES[Math.floor(rand() * CITIES.length)]!;
    const t = rand();
    const kind = rand() < 0.02 ? "alarm" : rand() < 0.15 ? "stopped" : "moving";
    points.push({
      id: `V${i}`,
      lat: a[0] + (b[0] - a[0]) * t + (rand() - 0.5) * 0.2,
      lng: a[1] + (b[1] - a[1]) * t + (rand() - 0.5) * 0.2,
      label: `Vehicle ${i} (${kind})`,
      kind,
    });
  }
  return points;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 10) / 10;

async function run() {
  const container = document.getElementById("map")!;
  const started = performance.now();
  const view = createOfflineMap(container, { label: "Vehicles under supervision", center: [48, 16], zoom: 5, detail: DETAIL,
    pointLayer: CLUSTERING === "markercluster" ? createMarkerClusterLayer : undefined,
  });
  await view.ready;
  const basemapMs = performance.now() - started;

  const vehicles = makeVehicles(VEHICLES);
  const addStart = performance.now();
  await view.setPoints(vehicles);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const addMs = performance.now() - addStart;

  // Record every frame while the officer works the map.
  const frames: number[] = [];
  const frameMaxByStep: Record<string, number> = {};
  let currentStep = "idle";
  let recording = true;
  let last = performance.now();
  const tick = (now: number) => {
    frames.push(now - last);
    frameMaxByStep[currentStep] = round(Math.max(frameMaxByStep[currentStep] ?? 0, now - last));
    last = now;
    if (recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => {
    last = now;
    requestAnimationFrame(tick);
  });

  const map = view.map;
  const rand = random(7);
  const steps: [string, () => void][] = [
    ["pan east", () => map.panBy([300, 0])],
    ["pan south", () => map.panBy([0, 200])],
    ["zoom in", () => map.zoomIn()],
    ["zoom in", () => map.zoomIn()],
    ["pan west", () => map.panBy([-400, 0])],
    ["live update", () => view.upsert(vehicles.slice(0, 500).map((v) => ({ ...v, lat: v.lat + (rand() - 0.5) * 0.05, lng: v.lng + (rand() - 0.5) * 0.05 })))],
    ["zoom out", () => map.zoomOut()],
    ["zoom out", () => map.zoomOut()],
    ["zoom out", () => map.zoomOut()],
    ["fly to Rotterdam", () => map.setView([51.92, 4.48], 8)],
    ["live update", () => view.upsert(vehicles.slice(500, 1500).map((v) => ({ ...v, lat: v.lat + (rand() - 0.5) * 0.05, lng: v.lng + (rand() - 0.5) * 0.05 })))],
    ["back to Europe", () => map.setView([48, 16], 4)],
    ["pan north", () => map.panBy([0, -250])],
  ];
  const stepMs: Record<string, number> = {};
  const markersByStep: Record<string, number> = {};
  const interactionStart = performance.now();
  for (const [name, action] of steps) {
    currentStep = name;
    const t0 = performance.now();
    action();
    stepMs[name] = round(Math.max(stepMs[name] ?? 0, performance.now() - t0));
    await wait(450);
    markersByStep[name] = Math.max(markersByStep[name] ?? 0, container.querySelectorAll(".leaflet-marker-icon").length);
  }
  recording = false;
  const interactionMs = performance.now() - interactionStart;

  const sorted = [...frames].sort((a, b) => a - b);
  const result = {
    vehicles: view.size,
    clustering: CLUSTERING,
    detail: DETAIL,
    basemapMs: round(basemapMs),
    addMs: round(addMs),
    interactionMs: round(interactionMs),
    frames: frames.length,
    frameMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? 0),
      mean: round(frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length)),
    },
    longFrames: frames.filter((f) => f > 50).length,
    worstStepMs: stepMs,
    worstFrameByStepMs: frameMaxByStep,
    markersByStep,
    markersInDom: container.querySelectorAll(".leaflet-marker-icon").length,
    clustersInDom: container.querySelectorAll(".marker-cluster").length,
  };
  (window as unknown as { mapPerf: typeof result }).mapPerf = result;
  document.getElementById("result")!.textContent = JSON.stringify(result, null, 1);
  document.body.dataset.done = "true";
}

run().catch((error) => {
  (window as unknown as { mapPerfError: string }).mapPerfError = String(error?.stack ?? error);
  document.getElementById("result")!.textContent = `Failed: ${error}`;
  document.body.dataset.done = "true";
});
