// The supervision centre: the offline map with the supervised vehicles (clustered when many),
// their planned corridors and zones, and where alarms happened; the alarm queue, updated live
// over the WebSocket /api/v1/alarms/live; an alarm's evidence, history and handling
// (acknowledge, assign to a patrol, resolve with an outcome and a note, false alarm, comment);
// and tables of the journeys and devices for those who prefer the keyboard to the map.
//
// A patrol officer sees only the alarms dispatched to them (the server filters): no journeys,
// no devices, no assigning.
import type L from "leaflet";
import { api, ApiError } from "../../api/client";
import type { Alarm, AlarmState, Device, Journey, LatLng, Route } from "../../api/types";
import { createOfflineMap, type MapPoint, type OfflineMap } from "../../map/offline-map";
import { announce, append, h, replaceChildren, uid, type Child } from "../../ui/dom";
import { describeError, errorBox } from "../../ui/errors";
import { busy, field, FormErrors, select } from "../../ui/form";
import { formatNumber, humanise, timeElement } from "../../ui/format";
import type { PageContext } from "../page";
import { heading } from "../status";
import { AlarmFeed, type FeedStatus } from "./live";
import { createRouteLayer } from "./route-layer";

const OPEN_STATES: ReadonlySet<AlarmState> = new Set(["new", "acknowledged", "dispatched"]);
const GRADE_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };
/** Corridors of every journey are drawn up to this many routes; beyond, only the ones that matter. */
const ALL_ROUTES_LIMIT = 60;
const JOURNEY_ROWS = 100;
const POLL_MS = 10_000;

const OUTCOMES: [string, string][] = [
  ["irregularity_confirmed", "Irregularity confirmed"],
  ["no_irregularity", "No irregularity"],
  ["justified", "Justified (known reason)"],
  ["technical_fault", "Technical fault"],
];

type Action = "acknowledge" | "dispatch" | "resolve" | "false_alarm" | "comment";
const ACTION_LABELS: Record<Action, string> = {
  acknowledge: "Acknowledge",
  dispatch: "Assign to a patrol",
  resolve: "Resolve",
  false_alarm: "Mark as false alarm",
  comment: "Add a note",
};

export function allowedActions(state: AlarmState, patrol: boolean): Action[] {
  const steps: Record<AlarmState, Action[]> = {
    new: ["acknowledge", "false_alarm"],
    acknowledged: ["dispatch", "resolve", "false_alarm"],
    dispatched: ["resolve", "false_alarm"],
    resolved: [],
    false_alarm: [],
  };
  const allowed = [...steps[state], "comment" as const];
  return patrol ? allowed.filter((action) => action !== "dispatch" && action !== "false_alarm") : allowed;
}

function unixTime(seconds: number | undefined): HTMLElement {
  if (!seconds) return h("span", null, "—");
  return timeElement(new Date(seconds * 1000).toISOString());
}

function gradeBadge(grade: string): HTMLElement {
  const look = grade === "critical" ? "red" : grade === "warning" ? "yellow" : "none";
  return h("span", { class: `badge badge-${look}` }, h("span", { class: "badge-dot", "aria-hidden": "true" }), humanise(grade));
}

function stateBadge(state: string): HTMLElement {
  const look = state === "new" ? "red" : state === "resolved" || state === "false_alarm" ? "none" : "yellow";
  return h("span", { class: `badge badge-${look} state-badge`, "data-state": state }, humanise(state));
}

function lastPosition(alarm: Alarm): LatLng | null {
  for (let i = alarm.evidence.length - 1; i >= 0; i -= 1) {
    const position = alarm.evidence[i]!.position;
    if (position) return position;
  }
  return null;
}

function facts(entries: [string, Child][]): HTMLElement {
  return h(
    "dl",
    { class: "facts facts-tight" },
    entries
      .filter(([, value]) => value !== undefined && value !== null && value !== "")
      .map(([term, value]) => h("div", null, h("dt", null, term), h("dd", null, value))),
  );
}

export async function render(context: PageContext) {
  const { root, signal, session } = context;
  context.setTitle("Supervision");
  const patrol = !session.user.roles.includes("supervision_officer");

  const alarms = new Map<number, Alarm>();
  const journeys = new Map<number, Journey>();
  const routes = new Map<string, Route>();
  let devices: Device[] = [];
  let selected: { kind: "alarm" | "journey"; id: number } | null = null;
  let filter: "open" | "all" | "closed" = "open";
  const arrived = new Set<number>();
  const timers: number[] = [];
  let map: OfflineMap | null = null;
  let routeLayer: ReturnType<typeof createRouteLayer> | null = null;
  let fitted = false;

  // --- first data: the queue (and, for the centre, journeys and devices)
  const [alarmList, journeyList, deviceList] = await Promise.all([
    api.get<{ alarms: Alarm[] }>("/api/v1/alarms", { query: { limit: 1000 }, signal }),
    patrol ? Promise.resolve(null) : api.get<{ journeys: Journey[]; routes?: Route[] }>("/api/v1/journeys", { signal }),
    patrol ? Promise.resolve(null) : api.get<{ devices: Device[] }>("/api/v1/devices", { signal }),
  ]);
  for (const alarm of alarmList.alarms) alarms.set(alarm.id, alarm);
  const takeJourneys = (list: { journeys: Journey[]; routes?: Route[] }) => {
    journeys.clear();
    for (const journey of list.journeys) journeys.set(journey.id, journey);
    for (const route of list.routes ?? []) routes.set(route.id, route);
  };
  if (journeyList) takeJourneys(journeyList);
  if (deviceList) devices = deviceList.devices;

  // --- page structure
  const liveStatus = h("span", { class: "live-status", id: "live-status", role: "status", "data-status": "connecting" }, "Connecting…");
  const mapElement = h("div", { class: "supervision-map", id: "supervision-map" });
  const legend = h(
    "ul",
    { class: "map-legend", "aria-label": "Map legend" },
    h("li", null, h("span", { class: "legend-dot legend-vehicle", "aria-hidden": "true" }), "Vehicle"),
    h("li", null, h("span", { class: "legend-dot legend-alarm", "aria-hidden": "true" }), "Vehicle with an open alarm"),
    h("li", null, h("span", { class: "legend-dot legend-site", "aria-hidden": "true" }), "Where an alarm happened"),
    h("li", null, h("span", { class: "legend-band", "aria-hidden": "true" }), "Corridor"),
    h("li", null, h("span", { class: "legend-zone", "aria-hidden": "true" }), "Zone"),
  );
  const filterId = uid("alarm-filter");
  const filterSelect = select("filter", [["open", "Open alarms"], ["all", "All alarms"], ["closed", "Closed alarms"]], filter, { id: filterId });
  const queueCount = h("span", { class: "muted small", id: "queue-count" });
  const queueList = h("ul", { class: "alarm-queue", id: "alarm-queue", "aria-label": "Alarm queue" });
  const detailSlot = h("div", { id: "detail", class: "detail-slot" });
  const journeysSlot = h("div");
  const devicesSlot = h("div");

  append(root, [
    h("div", { class: "page-head" }, heading("Supervision"), liveStatus),
    h(
      "div",
      { class: "supervision-grid" },
      // The queue comes first in the document (and so in the focus order): a keyboard user
      // reaches the alarms without tabbing through every marker on the map.
      h(
        "aside",
        { class: "side-column", "aria-label": "Alarms" },
        h(
          "section",
          { class: "panel queue-panel", "aria-labelledby": "queue-title" },
          h("div", { class: "panel-head" }, h("h2", { id: "queue-title" }, "Alarm queue"), queueCount),
          h("div", { class: "field inline-field" }, h("label", { for: filterId }, "Show"), filterSelect),
          queueList,
        ),
        detailSlot,
      ),
      h("div", { class: "map-column" }, mapElement, legend),
    ),
    patrol ? null : journeysSlot,
    patrol ? null : devicesSlot,
  ]);

  // --- the alarm queue
  const visibleAlarms = () =>
    [...alarms.values()]
      .filter((alarm) => (filter === "all" ? true : filter === "open" ? OPEN_STATES.has(alarm.state) : !OPEN_STATES.has(alarm.state)))
      .sort((a, b) => {
        const open = Number(OPEN_STATES.has(b.state)) - Number(OPEN_STATES.has(a.state));
        if (open) return open;
        const grade = (GRADE_ORDER[a.grade] ?? 9) - (GRADE_ORDER[b.grade] ?? 9);
        return grade || b.raised_at - a.raised_at || b.id - a.id;
      });

  const drawQueue = () => {
    // A live update redraws the queue; the alarm the officer's focus is on keeps it.
    const focusedId = queueList.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.alarmId : undefined;
    drawQueueItems();
    if (focusedId) queueList.querySelector<HTMLElement>(`[data-alarm-id="${focusedId}"]`)?.focus();
  };
  const drawQueueItems = () => {
    const list = visibleAlarms();
    const open = [...alarms.values()].filter((alarm) => OPEN_STATES.has(alarm.state)).length;
    queueCount.textContent = `${open} open · ${alarms.size} in all`;
    if (!list.length) {
      queueList.replaceChildren(h("li", { class: "muted queue-empty" }, filter === "open" ? "No open alarm." : "No alarm."));
      return;
    }
    queueList.replaceChildren(
      ...list.slice(0, 300).map((alarm) => {
        const journey = journeys.get(alarm.journey);
        return h(
          "li",
          { class: arrived.has(alarm.id) ? "arrived" : null },
          h(
            "button",
            {
              type: "button",
              class: "alarm-item",
              "data-alarm-id": String(alarm.id),
              "data-state": alarm.state,
              "aria-current": selected?.kind === "alarm" && selected.id === alarm.id ? "true" : null,
              onclick: () => selectAlarm(alarm.id, true),
            },
            h("span", { class: "alarm-line" }, gradeBadge(alarm.grade), h("strong", null, humanise(alarm.type)), stateBadge(alarm.state)),
            h(
              "span",
              { class: "alarm-line muted small" },
              `#${alarm.id} · journey ${journey ? journey.mrn : alarm.journey} · ${alarm.device_id} · `,
              unixTime(alarm.raised_at),
            ),
          ),
        );
      }),
    );
  };
  filterSelect.addEventListener("change", () => {
    filter = filterSelect.value as typeof filter;
    drawQueue();
  });

  // --- the map
  const mapPoints = (): MapPoint[] => {
    const points: MapPoint[] = [];
    const openByJourney = new Set<number>();
    for (const alarm of alarms.values()) if (OPEN_STATES.has(alarm.state)) openByJourney.add(alarm.journey);
    for (const journey of journeys.values()) {
      if (!journey.last_position || journey.status === "ended") continue;
      const alarm = openByJourney.has(journey.id);
      points.push({
        id: `journey:${journey.id}`,
        lat: journey.last_position[0],
        lng: journey.last_position[1],
        kind: alarm ? "alarm" : "moving",
        label: `Journey ${journey.mrn}, vehicle ${journey.declaration.vehicle || "unknown"}${alarm ? ", open alarm" : ""}`,
      });
    }
    for (const alarm of alarms.values()) {
      if (!OPEN_STATES.has(alarm.state)) continue;
      const position = lastPosition(alarm);
      if (!position) continue;
      points.push({
        id: `alarm:${alarm.id}`,
        lat: position[0],
        lng: position[1],
        kind: "site",
        label: `Alarm ${alarm.id}: ${humanise(alarm.type)} (${alarm.grade})`,
      });
    }
    return points;
  };

  const selectedRouteId = (): string | null => {
    if (!selected) return null;
    const journeyId = selected.kind === "journey" ? selected.id : alarms.get(selected.id)?.journey;
    return journeyId !== undefined ? (journeys.get(journeyId)?.route_id ?? null) : null;
  };

  const drawRoutes = () => {
    if (!routeLayer) return;
    const highlight = selectedRouteId();
    let shown: Route[];
    if (routes.size <= ALL_ROUTES_LIMIT) {
      shown = [...routes.values()];
    } else {
      // Many journeys: the selected one's route and those of journeys with an open alarm.
      const wanted = new Set<string>();
      if (highlight) wanted.add(highlight);
      for (const alarm of alarms.values()) {
        const routeId = OPEN_STATES.has(alarm.state) ? journeys.get(alarm.journey)?.route_id : undefined;
        if (routeId) wanted.add(routeId);
      }
      shown = [...wanted].map((id) => routes.get(id)).filter((route): route is Route => route !== undefined);
    }
    routeLayer.show(shown, highlight);
  };

  // Only what moved or changed look goes to the clustering layer (a full reload rebuilds its
  // index, ~100 ms for 10,000 points).
  let drawn = new Map<string, string>();
  const drawMap = () => {
    if (!map) return;
    const next = new Map<string, string>();
    const changed: MapPoint[] = [];
    for (const point of mapPoints()) {
      const signature = `${point.lat},${point.lng},${point.kind},${point.label}`;
      next.set(point.id, signature);
      if (drawn.get(point.id) !== signature) changed.push(point);
    }
    const removed = [...drawn.keys()].filter((id) => !next.has(id));
    if (drawn.size === 0) void map.setPoints(changed);
    else {
      if (changed.length) map.upsert(changed);
      if (removed.length) map.remove(removed);
    }
    drawn = next;
    drawRoutes();
  };

  const fitAll = () => {
    if (!map || fitted || mapElement.clientWidth === 0) return;
    const leaflet = map.map;
    const coordinates: LatLng[] = [];
    for (const journey of journeys.values()) if (journey.last_position) coordinates.push(journey.last_position);
    for (const route of routes.values()) coordinates.push(...route.points);
    for (const alarm of alarms.values()) {
      const position = lastPosition(alarm);
      if (position) coordinates.push(position);
    }
    if (!coordinates.length) return;
    fitted = true;
    leaflet.fitBounds(coordinates as L.LatLngBoundsLiteral, { padding: [30, 30], maxZoom: 10, animate: false });
  };

  map = createOfflineMap(mapElement, {
    label: "Map of supervised journeys and alarms",
    center: [50, 15],
    zoom: 4,
    detail: "50m",
    onSelect: (point) => {
      const [kind, id] = point.id.split(":");
      if (kind === "journey") void selectJourney(Number(id), false);
      else if (kind === "alarm") selectAlarm(Number(id), false);
    },
  });
  routeLayer = createRouteLayer(map.map);
  map.ready.catch((error: unknown) => {
    mapElement.append(h("p", { class: "form-error map-error", role: "alert" }, `The basemap did not load: ${describeError(error)}`));
  });
  drawMap();
  // The page is put in the document after render() returns: Leaflet learns its size then.
  const resize = new ResizeObserver(() => {
    if (!map || mapElement.clientWidth === 0) return;
    map.map.invalidateSize({ animate: false });
    fitAll();
  });
  resize.observe(mapElement);

  // --- details: an alarm, or a journey
  const flyTo = (position: LatLng | null | undefined, bounds?: L.LatLngBounds | null) => {
    if (!map) return;
    if (bounds && bounds.isValid()) map.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
    else if (position) map.map.setView(position, Math.max(map.map.getZoom(), 10));
  };

  function selectAlarm(id: number, moveMap: boolean): void {
    selected = { kind: "alarm", id };
    arrived.delete(id);
    drawQueue();
    drawRoutes();
    drawAlarmDetail(true);
    const alarm = alarms.get(id);
    if (alarm && moveMap) flyTo(lastPosition(alarm) ?? journeys.get(alarm.journey)?.last_position);
  }

  let formState: string | null = null;
  function drawAlarmDetail(focus: boolean): void {
    if (selected?.kind !== "alarm") return;
    const alarm = alarms.get(selected.id);
    if (!alarm) {
      detailSlot.replaceChildren();
      return;
    }
    const journey = journeys.get(alarm.journey);
    const info = h(
      "div",
      { class: "alarm-info" },
      facts([
        ["Grade", gradeBadge(alarm.grade)],
        ["State", stateBadge(alarm.state)],
        ["Journey", journey ? h("button", { type: "button", class: "link-button", onclick: () => void selectJourney(journey.id, true) }, `${journey.mrn} (${journey.declaration.vehicle || "no plate"})`) : String(alarm.journey)],
        ["Device", h("span", { class: "mono" }, alarm.device_id)],
        ["Started", unixTime(alarm.started_at)],
        ["Raised", unixTime(alarm.raised_at)],
        ["Cleared", alarm.cleared_at ? unixTime(alarm.cleared_at) : undefined],
        ["Outcome", alarm.outcome ? humanise(alarm.outcome) : undefined],
      ]),
      alarm.detail ? h("p", { class: "alarm-detail" }, alarm.detail) : null,
    );
    const record = h(
      "div",
      { class: "alarm-record" },
      alarm.evidence.length
        ? [
            h("h3", null, "Evidence"),
            h(
              "ul",
              { class: "evidence" },
              alarm.evidence.map((point) =>
                h(
                  "li",
                  null,
                  unixTime(point.time),
                  ` ${point.note || ""}${point.value ? ` (${formatNumber(point.value)})` : ""}`,
                  point.position ? h("span", { class: "mono small muted" }, ` ${point.position[0].toFixed(4)}, ${point.position[1].toFixed(4)}`) : null,
                ),
              ),
            ),
          ]
        : null,
      h("h3", null, "Handling"),
      alarm.history.length
        ? h(
            "ol",
            { class: "history", id: "alarm-history" },
            alarm.history.map((step) =>
              h(
                "li",
                { "data-to": step.to },
                unixTime(step.time),
                ` ${step.actor}: `,
                h("strong", null, humanise(step.to)),
                step.patrol ? ` → patrol ${step.patrol}` : "",
                step.outcome ? ` (${humanise(step.outcome)})` : "",
                step.comment ? ` — “${step.comment}”` : "",
                step.photo ? h("span", { class: "mono small" }, ` photo ${step.photo}`) : null,
              ),
            ),
          )
        : h("p", { class: "muted", id: "alarm-history" }, "Not handled yet."),
    );
    const state = `${alarm.id}:${alarm.state}`;
    const existing = detailSlot.querySelector<HTMLElement>(`[data-alarm="${alarm.id}"]`);
    if (existing && formState === state) {
      // Same alarm, same state: refresh what it says, keep what the officer is typing.
      existing.querySelector(".alarm-info")?.replaceWith(info);
      existing.querySelector(".alarm-record")?.replaceWith(record);
      return;
    }
    formState = state;
    const titleId = uid("alarm-title");
    const panelElement = h(
      "section",
      { class: "panel alarm-panel", "data-alarm": String(alarm.id), "aria-labelledby": titleId },
      h("h2", { id: titleId, tabindex: "-1" }, `Alarm ${alarm.id}: ${humanise(alarm.type)}`),
      info,
      handlingForm(alarm),
      record,
    );
    detailSlot.replaceChildren(panelElement);
    if (focus) (panelElement.querySelector("h2") as HTMLElement).focus();
  }

  function handlingForm(alarm: Alarm): HTMLElement {
    const actions = allowedActions(alarm.state, patrol);
    const groupName = uid("action");
    const radios = actions.map((action, index) => {
      const input = h("input", { type: "radio", name: groupName, value: action, id: uid(`action-${action}`), checked: index === 0 });
      return { action, input, element: h("div", { class: "check" }, input, h("label", { for: input.id }, ACTION_LABELS[action])) };
    });
    const patrolField = field("Patrol", h("input", { type: "text", name: "patrol", autocomplete: "off", spellcheck: "false" }), "The patrol officer's username.");
    const outcomeField = field("Outcome", select("outcome", [["", "Choose…"], ...OUTCOMES]));
    const noteField = field("Note", h("input", { type: "text", name: "comment", autocomplete: "off" }));
    const errors = new FormErrors({ patrol: patrolField, outcome: outcomeField, comment: noteField });
    const submit = h("button", { type: "submit", class: "button button-primary" }, "Save");
    const sync = () => {
      const action = radios.find((radio) => radio.input.checked)?.action ?? "comment";
      patrolField.wrapper.hidden = action !== "dispatch";
      outcomeField.wrapper.hidden = action !== "resolve";
      noteField.control.toggleAttribute("required", action === "resolve" || action === "false_alarm" || action === "comment");
      (noteField.wrapper.querySelector("label") as HTMLElement).textContent =
        action === "resolve" || action === "false_alarm" || action === "comment" ? "Note (required)" : "Note (optional)";
      submit.textContent = ACTION_LABELS[action];
    };
    for (const radio of radios) radio.input.addEventListener("change", sync);
    const form = h(
      "form",
      { class: "handling-form", id: "handling-form", novalidate: true, "aria-label": `Handle alarm ${alarm.id}` },
      errors.summary,
      h("fieldset", null, h("legend", null, "Next step"), radios.map((radio) => radio.element)),
      patrolField.wrapper,
      outcomeField.wrapper,
      noteField.wrapper,
      h("div", { class: "form-actions" }, submit),
    );
    sync();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const action = radios.find((radio) => radio.input.checked)?.action ?? "comment";
      const note = noteField.control.value.trim();
      const local = [];
      if (action === "dispatch" && !patrolField.control.value.trim()) local.push({ path: "patrol", rule: "required", message: "Name the patrol to send." });
      if (action === "resolve" && !outcomeField.control.value) local.push({ path: "outcome", rule: "required", message: "Choose what the check found." });
      if ((action === "resolve" || action === "false_alarm" || action === "comment") && !note)
        local.push({ path: "comment", rule: "required", message: "Write a note for the record." });
      if (local.length) {
        errors.show("Nothing was saved.", local, { patrol: "Patrol", outcome: "Outcome", comment: "Note" });
        return;
      }
      await busy(form, async () => {
        try {
          errors.clear();
          const body: Record<string, string> = { action };
          if (note) body.comment = note;
          if (action === "dispatch") body.patrol = patrolField.control.value.trim();
          if (action === "resolve") body.outcome = outcomeField.control.value;
          const updated = await api.post<Alarm>(`/api/v1/alarms/${alarm.id}/actions`, body);
          alarms.set(updated.id, updated);
          announce(`Alarm ${updated.id}: ${ACTION_LABELS[action].toLowerCase()} saved; it is now ${humanise(updated.state).toLowerCase()}.`);
          drawQueue();
          drawMap();
          drawAlarmDetail(false);
          detailSlot.querySelector<HTMLElement>(".alarm-panel h2")?.focus();
        } catch (error) {
          errors.showError("Nothing was saved", error, { patrol: "Patrol", outcome: "Outcome", comment: "Note" });
        }
      });
    });
    return form;
  }

  async function selectJourney(id: number, moveMap: boolean): Promise<void> {
    selected = { kind: "journey", id };
    drawQueue();
    drawRoutes();
    const summary = journeys.get(id);
    const titleId = uid("journey-title");
    const body = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the journey…"));
    const panelElement = h(
      "section",
      { class: "panel journey-panel", "data-journey": String(id), "aria-labelledby": titleId },
      h("h2", { id: titleId, tabindex: "-1" }, `Journey ${summary?.mrn ?? id}`),
      body,
    );
    detailSlot.replaceChildren(panelElement);
    (panelElement.querySelector("h2") as HTMLElement).focus();
    if (moveMap) flyTo(summary?.last_position, summary ? routeLayer?.bounds(summary.route_id) : null);
    let journey: Journey;
    try {
      journey = await api.get<Journey>(`/api/v1/journeys/${id}`, { signal });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return;
      body.replaceChildren(errorBox("The journey could not be loaded", error));
      return;
    }
    if (journey.route) routes.set(journey.route.id, journey.route);
    const d = journey.declaration;
    const events = journey.events ?? [];
    replaceChildren(
      body,
      facts([
        ["Status", humanise(journey.status)],
        ["Grade", humanise(journey.grade)],
        ["Red channel at destination", journey.requires_red_channel ? "Yes" : "No"],
        ["Vehicle", d.vehicle || undefined],
        ["Container", d.container || undefined],
        ["Devices", d.device_ids.length ? h("span", { class: "mono" }, d.device_ids.join(", ")) : undefined],
        ["From", d.office_of_departure || undefined],
        ["To", d.office_of_destination || undefined],
        ["Goods", d.goods_summary || undefined],
        ["Sealed", journey.sealed_at ? unixTime(journey.sealed_at) : "Not yet"],
        ["Last position", journey.last_position_time ? unixTime(journey.last_position_time) : "None yet"],
        ["Time limit", journey.time_limit_s ? `${Math.round(journey.time_limit_s / 3600)} h` : undefined],
      ]),
      journey.alarms.length
        ? [
            h("h3", null, `Alarms (${journey.alarms.length})`),
            h(
              "ul",
              { class: "plain-list" },
              journey.alarms.map((alarmId) => {
                const alarm = alarms.get(alarmId);
                return h(
                  "li",
                  null,
                  h("button", { type: "button", class: "link-button", onclick: () => selectAlarm(alarmId, true) }, `Alarm ${alarmId}${alarm ? `: ${humanise(alarm.type)}` : ""}`),
                  alarm ? [" ", stateBadge(alarm.state)] : null,
                );
              }),
            ),
          ]
        : h("p", { class: "muted" }, "No alarm on this journey."),
      events.length
        ? [
            h("h3", null, "Latest events"),
            h(
              "ol",
              { class: "history" },
              events.slice(-8).map((event) => h("li", null, unixTime(event.time), ` ${humanise(event.kind)}${event.detail ? `: ${event.detail}` : ""}${event.actor ? ` (${event.actor})` : ""}`)),
            ),
          ]
        : null,
    );
    drawRoutes();
  }

  // --- journeys and devices, as tables
  const drawJourneys = () => {
    if (patrol) return;
    const openByJourney = new Map<number, number>();
    for (const alarm of alarms.values()) if (OPEN_STATES.has(alarm.state)) openByJourney.set(alarm.journey, (openByJourney.get(alarm.journey) ?? 0) + 1);
    const list = [...journeys.values()].sort((a, b) => (openByJourney.get(b.id) ?? 0) - (openByJourney.get(a.id) ?? 0) || b.id - a.id);
    journeysSlot.replaceChildren(
      h(
        "section",
        { class: "panel", "aria-labelledby": "journeys-title" },
        h("h2", { id: "journeys-title" }, `Journeys (${journeys.size})`),
        list.length
          ? h(
              "div",
              { class: "table-scroll" },
              h(
                "table",
                { class: "data-table", id: "journeys-table" },
                h("caption", { class: "visually-hidden" }, "Journeys, those with open alarms first"),
                h("thead", null, h("tr", null, ["MRN", "Vehicle", "Devices", "Route", "Status", "Grade", "Open alarms", "Last position", ""].map((c) => h("th", { scope: "col" }, c || h("span", { class: "visually-hidden" }, "Actions"))))),
                h(
                  "tbody",
                  null,
                  list.slice(0, JOURNEY_ROWS).map((journey) =>
                    h(
                      "tr",
                      { "data-journey": String(journey.id) },
                      h("td", { class: "mono" }, journey.mrn),
                      h("td", null, journey.declaration.vehicle || "—"),
                      h("td", { class: "mono small" }, journey.declaration.device_ids.join(", ") || "—"),
                      h("td", null, `${journey.declaration.office_of_departure || "?"} → ${journey.declaration.office_of_destination || "?"}`),
                      h("td", null, humanise(journey.status)),
                      h("td", null, humanise(journey.grade)),
                      h("td", { class: "num" }, String(openByJourney.get(journey.id) ?? 0)),
                      h("td", { class: "nowrap" }, unixTime(journey.last_position_time)),
                      h("td", null, h("button", { type: "button", class: "button button-small", onclick: () => void selectJourney(journey.id, true), "aria-label": `Show journey ${journey.mrn}` }, "Show")),
                    ),
                  ),
                ),
              ),
            )
          : h("p", { class: "muted" }, "No journey is open."),
        list.length > JOURNEY_ROWS ? h("p", { class: "hint" }, `The ${JOURNEY_ROWS} journeys with the most open alarms, then the newest, of ${list.length}; the map shows them all.`) : null,
      ),
    );
  };

  const drawDevices = () => {
    if (patrol) return;
    devicesSlot.replaceChildren(
      h(
        "section",
        { class: "panel", "aria-labelledby": "devices-title" },
        h("h2", { id: "devices-title" }, `Devices (${devices.length})`),
        devices.length
          ? h(
              "div",
              { class: "table-scroll" },
              h(
                "table",
                { class: "data-table", id: "devices-table" },
                h("caption", { class: "visually-hidden" }, "Devices"),
                h("thead", null, h("tr", null, ["Device", "Type", "Status", "Battery", "Last contact", "Station", "Model"].map((c) => h("th", { scope: "col", class: c === "Battery" ? "num" : null }, c)))),
                h(
                  "tbody",
                  null,
                  devices.slice(0, 200).map((device) =>
                    h(
                      "tr",
                      { "data-device": device.id },
                      h("td", { class: "mono" }, device.id),
                      h("td", null, humanise(device.type)),
                      h("td", null, humanise(device.status)),
                      h("td", { class: "num" }, device.battery_percent !== undefined ? `${formatNumber(device.battery_percent)} %` : "—"),
                      h("td", { class: "nowrap" }, unixTime(device.last_contact)),
                      h("td", null, device.station || device.home_station || "—"),
                      h("td", null, [device.model, device.firmware].filter(Boolean).join(" ") || "—"),
                    ),
                  ),
                ),
              ),
            )
          : h("p", { class: "muted" }, "No device is registered."),
      ),
    );
  };

  drawQueue();
  drawJourneys();
  drawDevices();

  // --- live: alarms over the WebSocket; positions by polling (the socket carries alarms only)
  let refreshTimer: number | null = null;
  const refreshJourneys = async () => {
    if (patrol || signal.aborted) return;
    try {
      const [list, deviceData] = await Promise.all([
        api.get<{ journeys: Journey[]; routes?: Route[] }>("/api/v1/journeys", { signal }),
        api.get<{ devices: Device[] }>("/api/v1/devices", { signal }),
      ]);
      takeJourneys(list);
      devices = deviceData.devices;
      drawMap();
      fitAll();
      drawJourneys();
      drawDevices();
      if (selected?.kind === "alarm") drawAlarmDetail(false);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "AbortError")) console.warn("journeys refresh failed", error);
    }
  };
  const refreshSoon = () => {
    if (refreshTimer !== null) return;
    refreshTimer = window.setTimeout(() => {
      refreshTimer = null;
      void refreshJourneys();
    }, 500);
  };
  const resync = async () => {
    try {
      const list = await api.get<{ alarms: Alarm[] }>("/api/v1/alarms", { query: { limit: 1000 }, signal });
      for (const alarm of list.alarms) alarms.set(alarm.id, alarm);
      drawQueue();
      drawMap();
      drawAlarmDetail(false);
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "AbortError") && !(error instanceof ApiError && error.status === 401)) {
        console.warn("alarm resync failed", error);
      }
    }
    refreshSoon();
  };

  const STATUS_TEXT: Record<FeedStatus, string> = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting…",
    closed: "Not live",
  };
  const feed = new AlarmFeed({
    onStatus(status, detail) {
      liveStatus.dataset.status = status;
      liveStatus.textContent = STATUS_TEXT[status];
      liveStatus.title = status === "live" ? "Alarms arrive as they are raised" : (detail ?? "");
    },
    onAlarm(alarm) {
      const known = alarms.get(alarm.id);
      alarms.set(alarm.id, alarm);
      if (!known) {
        arrived.add(alarm.id);
        announce(`New ${alarm.grade} alarm: ${humanise(alarm.type)} on journey ${journeys.get(alarm.journey)?.mrn ?? alarm.journey}.`);
      }
      drawQueue();
      drawMap();
      drawJourneys();
      if (selected?.kind === "alarm" && selected.id === alarm.id) drawAlarmDetail(false);
      refreshSoon();
    },
    onResync: () => void resync(),
  });
  feed.start();
  if (!patrol) {
    timers.push(
      window.setInterval(() => {
        if (document.visibilityState === "visible") void refreshJourneys();
      }, POLL_MS),
    );
  }

  return () => {
    feed.stop();
    resize.disconnect();
    for (const timer of timers) window.clearInterval(timer);
    if (refreshTimer !== null) window.clearTimeout(refreshTimer);
    routeLayer?.destroy();
    map?.destroy();
  };
}
