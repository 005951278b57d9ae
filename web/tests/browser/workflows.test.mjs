// The officers' workflows against a real `cordon serve`, with data set up through the real API
// (bearer tokens, as the machine clients that send declarations and telemetry would):
//  - a declaration that matches an imported watch list: its hit and explanation, the profile
//    that fired, a control result recorded and seen in the decision log;
//  - the risk-profile editor: a syntax error shown at its line and column, then a backtest;
//  - the supervision map: an alarm raised by telemetry arrives live over the WebSocket and is
//    acknowledged, assigned and resolved with a note;
//  - a role refused a page (and the API answering 403);
//  - an administrator imports a watch list through the form and sees its status.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { apiRequest, horizontalOverflow, openBrowser, REPO_ROOT, signIn, startCordon, stepper } from "./harness.mjs";

const USERS = {
  analyst: { username: "ana.analyst", password: "Analyst-pass-2024!", roles: ["risk_analyst"], token: true },
  approver: { username: "ben.analyst", password: "Approver-pass-2024!", roles: ["risk_analyst"], token: true },
  targeting: { username: "tom.targeting", password: "Target-pass-2024!", roles: ["targeting_officer"] },
  supervisor: { username: "sam.supervisor", password: "Supervise-pass-2024!", roles: ["supervision_officer"], token: true },
  fleet: { username: "fleet.device", password: "Fleet-pass-2024!-long", roles: ["submitter"], token: true },
  patrol: { username: "pat.patrol", password: "Patrol-pass-2024!", roles: ["patrol_officer"] },
  admin: { username: "ada.admin", password: "Admin-pass-2024!", roles: ["administrator"] },
};

const WATCH_LIST = [
  "id,type,name,country,programme,instruction",
  "W-1,organisation,Kestrel Vantor Freight,AE,Browser test list,Hold the goods and call the duty analyst",
  "",
].join("\n");

let cordon;
const token = (user) => cordon.tokens[user.username];
const call = (user, method, path, options) => apiRequest(cordon.url, token(user), method, path, options);

before(async () => {
  cordon = await startCordon({ users: Object.values(USERS) });
  console.log(`cordon serve at ${cordon.url}`);
});

after(async () => {
  await cordon?.stop();
});

async function withBrowser(scenario, body) {
  const browser = await openBrowser(cordon.url);
  const step = stepper(scenario, browser.page);
  try {
    await body(browser.page, step, browser);
    assert.deepEqual(browser.offsite, [], "no request may leave the machine");
    assert.deepEqual(browser.consoleErrors, [], "no uncaught error in the page");
  } catch (error) {
    await step("failure").catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

describe("workflows", () => {
  test("declaration with a watch-list hit: explanation, profile fired, control result in the decision log", async () => {
    // Set-up through the API: a list, a profile approved by a second analyst, then a declaration
    // whose consignee is on the list.
    await call(USERS.analyst, "PUT", "/api/v1/watchlists/TEST-WATCH?format=cordon-csv", { body: WATCH_LIST, contentType: "application/octet-stream" });
    await call(USERS.analyst, "POST", "/api/v1/profiles", {
      json: {
        id: "TST-HIT-1",
        source: 'hits.exists(h, h.list == "TEST-WATCH" && h.score >= 0.8)',
        metadata: { title: "Consignee on the test watch list", risk_area: "security_safety", weight: 40, minimum_channel: "red" },
      },
    });
    await call(USERS.analyst, "POST", "/api/v1/profiles/TST-HIT-1/versions/1/propose", { json: {} });
    await call(USERS.approver, "POST", "/api/v1/profiles/TST-HIT-1/versions/1/approve", { json: {} });
    const declaration = JSON.parse(readFileSync(join(REPO_ROOT, "tests/data/declaration_sea.json"), "utf8"));
    declaration.reference = "WEB-HIT-0001";
    const consignee = declaration.parties.find((party) => party.role === "consignee");
    consignee.name = "Kestrel-Vantor Freight LLC";
    delete consignee.eori;
    consignee.address = { street: "Jebel Ali Free Zone, Gate 5", city: "Dubai", country: "AE" };
    const created = await call(USERS.analyst, "POST", "/api/v1/declarations", { json: declaration });
    assert.ok(created.id > 0, JSON.stringify(created));

    await withBrowser("declaration-hit-control", async (page, step) => {
      await signIn(page, cordon.url, USERS.targeting.username, USERS.targeting.password);
      await page.locator('[data-page="declarations"]').waitFor();
      await page.getByLabel("Reference").fill("WEB-HIT-0001");
      await page.getByLabel("Reference").press("Enter");
      await page.waitForURL(/reference=WEB-HIT-0001/);
      const row = page.locator("#declarations-table tbody tr").first();
      await row.waitFor();
      const cells = await row.locator("td").allInnerTexts();
      assert.equal(cells[0], "WEB-HIT-0001");
      assert.match(cells[1], /Red/, "the profile sent it to the red channel");
      assert.equal(cells[3], "1", "one watch-list hit in the Hits column");
      await step("list filtered, risk and hits shown");

      await row.getByRole("link", { name: "WEB-HIT-0001" }).click();
      await page.locator('[data-page="declaration"]').waitFor();
      const hit = page.locator("#hits-list .hit").first();
      await hit.waitFor();
      const hitText = await hit.innerText();
      assert.match(hitText, /Kestrel Vantor Freight/);
      assert.match(hitText, /TEST-WATCH\/W-1/);
      assert.match(hitText, /Why: \S+/, "the hit carries its explanation");
      assert.match(hitText, /Hold the goods and call the duty analyst/, "the list's instruction travels with the hit");
      assert.match(await page.locator("#fired-profiles").innerText(), /TST-HIT-1 v1/, "the profile that fired is named");
      assert.ok((await horizontalOverflow(page)) <= 0, "the declaration page fits 1366×768");
      await page.locator("#hits").scrollIntoViewIfNeeded();
      await step("hit with explanation and profile fired");

      // Keyboard: the in-page link moves focus to the control-result panel.
      await page.getByRole("link", { name: "Control result" }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), "control-title");
      await page.getByRole("button", { name: "Record control result" }).click();
      await page.locator("#control-form .form-error:not([hidden])").waitFor();
      await step("control result needs an outcome");
      await page.getByLabel("Irregularity found", { exact: true }).check();
      await page.getByLabel("Category").fill("drugs");
      await page.getByLabel("Seizure reference").fill("SZ-2026-0042");
      await page.getByLabel("Note").fill("2 kg of cocaine behind pallet 3");
      await page.getByLabel("Note").press("Enter");
      const logged = page.locator('#decision-log tbody tr[data-kind="control_result"]');
      await logged.waitFor();
      const logText = await logged.innerText();
      assert.match(logText, /Irregularity: drugs/);
      assert.match(logText, /SZ-2026-0042/);
      assert.match(logText, /2 kg of cocaine behind pallet 3/);
      assert.match(logText, /tom\.targeting/);
      assert.match(await page.locator("#control-current").innerText(), /Irregularity found \(drugs\)/);
      assert.ok((await page.locator('#decision-log tbody tr[data-kind="assessment"]').count()) >= 1, "the assessment is logged before it");
      await page.locator("#log").scrollIntoViewIfNeeded();
      await step("control result in the decision log");
    });
  });

  test("risk-profile editor: a syntax error is shown at its line and column; the fixed profile is backtested", async () => {
    await withBrowser("profile-editor", async (page, step) => {
      await signIn(page, cordon.url, USERS.analyst.username, USERS.analyst.password);
      await page.locator("#app-nav").getByRole("link", { name: "Risk profiles" }).click();
      await page.locator('[data-page="profiles"]').waitFor();
      await page.locator('[data-action="new-profile"]').click();
      await page.locator('[data-page="profile-new"]').waitFor();
      await page.getByLabel("Profile id").fill("TST-EDIT-1");
      await page.getByLabel("Title").fill("Cigarettes to new consignees");
      const source = page.getByLabel("Condition");
      await source.fill('goods.exists(g, g.hss.startsWith("2402"))\n  && consignee.first_seen_days < 30');
      await step("typo in the condition");
      await page.getByRole("button", { name: "Save draft" }).click();
      const diagnostic = page.locator("#profile-diagnostics .diagnostic").first();
      await diagnostic.waitFor();
      assert.equal(await diagnostic.getAttribute("data-line"), "1");
      assert.equal(await diagnostic.getAttribute("data-column"), "19", "the column of the unknown field's name");
      assert.match(await diagnostic.innerText(), /g\.hss/);
      assert.equal(await source.getAttribute("aria-invalid"), "true");
      assert.equal(await page.locator(".gutter-error").count(), 1, "the line is marked in the gutter");
      assert.ok((await horizontalOverflow(page)) <= 0, "the editor fits 1366×768");
      const caret = await source.evaluate((element) => element.selectionStart);
      assert.equal(caret, 18, "the caret is put at line 1, column 19");
      await step("error at line and column");

      await source.fill('goods.exists(g, g.hs.startsWith("2402"))\n  && consignee.first_seen_days < 30');
      await source.press("Control+Enter");
      await page.waitForURL(/#\/profiles\/TST-EDIT-1\?saved=1/);
      await page.locator('#versions-table tr[data-version="1"]').waitFor();
      assert.match(await page.locator("#profile-saved").innerText(), /Version 1 was saved as a draft/);
      await step("saved as a draft");

      await page.getByLabel("Lodged from").fill("2000-01-01");
      await page.getByRole("button", { name: "Run backtest" }).click();
      const declarations = page.locator('#backtest-result dd[data-fact="Declarations"]');
      await declarations.waitFor();
      assert.ok(Number((await declarations.innerText()).replace(/\D/g, "")) > 0, "the backtest ran over stored declarations");
      await page.locator("#backtest-result").scrollIntoViewIfNeeded();
      await step("backtest results");
    });
  });

  test("supervision: an alarm arrives live on the map and is acknowledged, assigned and resolved", async () => {
    // A device, a journey along a straight road with its unsealing zone, sealed: supervised.
    const device = "SEAL-WEB-1";
    await call(USERS.supervisor, "POST", "/api/v1/devices", { json: { id: device, type: "active", home_station: "VILNIUS" } });
    const points = Array.from({ length: 7 }, (_, i) => [54.6, 25.0 + 0.05 * i]);
    const journey = await call(USERS.supervisor, "POST", "/api/v1/journeys", {
      json: {
        declaration: { mrn: "26LT000000000042", office_of_departure: "LTVI0100", office_of_destination: "LTVI0200", vehicle: "KTR 042", device_ids: [device], goods_summary: "Tobacco" },
        route: {
          points,
          corridor_half_width_m: 1000,
          stop_zones: [{ id: "REST-KM10", kind: "rest_area", max_stay_s: 3600, polygon: [[54.595, 25.14], [54.595, 25.16], [54.605, 25.16], [54.605, 25.14]] }],
          unsealing_zone: { id: "LTVI0200", kind: "customs_office", polygon: [[54.59, 25.29], [54.59, 25.31], [54.61, 25.31], [54.61, 25.29]] },
        },
        time_limit_s: 86400,
      },
    });
    await call(USERS.supervisor, "POST", `/api/v1/journeys/${journey.id}/seal`, { json: {} });
    const now = Math.floor(Date.now() / 1000) + 2;
    const position = (t, lon, opened = false) => ({
      device_id: device,
      time: t,
      position: { latitude: 54.6, longitude: lon, speed_kmh: 60 },
      sensors: { battery_percent: 80 },
      ...(opened ? { events: ["lock_opened"] } : {}),
    });
    for (let i = 0; i < 2; i += 1) await call(USERS.fleet, "POST", "/api/v1/telemetry", { json: position(now + 30 * i, 25.01 + 0.01 * i) });

    await withBrowser("supervision-live-alarm", async (page, step) => {
      await signIn(page, cordon.url, USERS.supervisor.username, USERS.supervisor.password);
      await page.locator("#app-nav").getByRole("link", { name: "Supervision" }).click();
      await page.locator('[data-page="supervision"]').waitFor();
      await page.locator('#live-status[data-status="live"]').waitFor();
      await page.locator(`#journeys-table tr[data-journey="${journey.id}"]`).waitFor();
      await page.locator("#supervision-map .leaflet-overlay-pane canvas").first().waitFor();
      await page.waitForFunction(() => document.querySelectorAll("#supervision-map .map-point").length >= 1, null, { timeout: 15_000 });
      assert.match(await page.locator("#alarm-queue").innerText(), /No open alarm/);
      assert.match(await page.locator(`#devices-table tr[data-device="${device}"]`).innerText(), /80 %/);
      assert.ok((await horizontalOverflow(page)) <= 0, "the supervision page fits 1366×768");
      await step("journey on the map, queue empty");

      // The lock opens on the road: the alarm must arrive without a reload.
      for (let i = 2; i < 4; i += 1) await call(USERS.fleet, "POST", "/api/v1/telemetry", { json: position(now + 30 * i, 25.01 + 0.01 * i) });
      await call(USERS.fleet, "POST", "/api/v1/telemetry", { json: position(now + 150, 25.05, true) });
      const item = page.locator('.alarm-item[data-state="new"]').first();
      await item.waitFor({ timeout: 15_000 });
      assert.match(await item.innerText(), /Illegal opening/);
      assert.match(await item.innerText(), /Critical/);
      await page.waitForFunction(() => document.querySelector("#supervision-map .map-point-alarm, #supervision-map .map-point-site") !== null, null, { timeout: 15_000 });
      await step("alarm arrived live");

      // By keyboard: from the page heading, the queue comes before the map.
      const alarmId = await item.getAttribute("data-alarm-id");
      await page.locator("h1").focus();
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "filter");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.alarmId), alarmId, "Tab reaches the new alarm");
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), "none", "focus is visible");
      await page.keyboard.press("Enter");
      const panel = page.locator(`.alarm-panel[data-alarm="${alarmId}"]`);
      await panel.waitFor();
      assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ""), /Alarm \d+: Illegal opening/, "focus moves to the alarm");
      await step("alarm selected");

      // Acknowledge (the first step offered), submitting with Enter from the note field.
      await panel.getByLabel("Note (optional)").fill("Calling the driver");
      await panel.getByLabel("Note (optional)").press("Enter");
      await page.locator(`.alarm-item[data-alarm-id="${alarmId}"][data-state="acknowledged"]`).waitFor();

      // Assign to a patrol.
      await panel.getByLabel("Assign to a patrol").check();
      await panel.getByLabel("Patrol", { exact: true }).fill(USERS.patrol.username);
      await panel.getByRole("button", { name: "Assign to a patrol" }).click();
      await page.locator(`.alarm-item[data-alarm-id="${alarmId}"][data-state="dispatched"]`).waitFor();
      await step("acknowledged and assigned");

      // Resolve: an outcome and a note are required.
      await panel.getByLabel("Resolve").check();
      await panel.getByRole("button", { name: "Resolve" }).click();
      await panel.locator(".form-error:not([hidden])").waitFor();
      await panel.getByLabel("Outcome").selectOption("irregularity_confirmed");
      await panel.getByLabel("Note (required)").fill("Seal cut at a lay-by; 12 cartons missing");
      await panel.getByRole("button", { name: "Resolve" }).click();
      await panel.locator('.state-badge[data-state="resolved"]').waitFor();
      const history = await panel.locator("#alarm-history").innerText();
      assert.match(history, /Acknowledged — “Calling the driver”/);
      assert.match(history, /Dispatched → patrol pat\.patrol/);
      assert.match(history, /Resolved \(Irregularity confirmed\) — “Seal cut at a lay-by; 12 cartons missing”/);
      assert.equal(await page.locator(`.alarm-item[data-alarm-id="${alarmId}"]`).count(), 0, "a resolved alarm leaves the open queue");
      await step("resolved with a note");

      const stored = await call(USERS.supervisor, "GET", `/api/v1/alarms/${alarmId}`);
      assert.equal(stored.state, "resolved");
      assert.equal(stored.outcome, "irregularity_confirmed");
    });
  });

  test("refusal: a patrol officer is refused the risk profiles (page and API 403), and sees their own alarms", async () => {
    await withBrowser("refused-profiles", async (page, step) => {
      await signIn(page, cordon.url, USERS.patrol.username, USERS.patrol.password);
      assert.deepEqual(await page.locator("#app-nav a").allInnerTexts(), ["Supervision"]);
      await page.goto(`${cordon.url}/#/profiles`);
      await page.locator('[data-page="refused"]').waitFor();
      assert.equal(await page.locator("h1").innerText(), "Access refused");
      assert.match(await page.locator('[data-page="refused"]').innerText(), /Your roles do not allow this page/);
      await step("not allowed");
      const status = await page.evaluate(async () => (await fetch("/api/v1/profiles")).status);
      assert.equal(status, 403, "GET /api/v1/profiles answers 403 to a patrol officer");

      // What the role does open: the alarms dispatched to this patrol (the one resolved above),
      // without the centre's journeys and devices.
      await page.locator("#app-nav").getByRole("link", { name: "Supervision" }).click();
      await page.locator('#live-status[data-status="live"]').waitFor();
      assert.equal(await page.locator("#journeys-table, #devices-table").count(), 0);
      await page.getByLabel("Show").selectOption("all");
      await page.locator('.alarm-item[data-state="resolved"]').first().waitFor();
      await step("patrol sees the alarms dispatched to them");
    });
  });

  test("administration: a watch list is imported through the form; a malformed file is refused with its line", async () => {
    await withBrowser("admin-list-import", async (page, step) => {
      await signIn(page, cordon.url, USERS.admin.username, USERS.admin.password);
      await page.locator("#app-nav").getByRole("link", { name: "Watch lists" }).click();
      await page.locator('[data-page="lists"]').waitFor();
      assert.ok((await horizontalOverflow(page)) <= 0, "the lists page fits 1366×768");
      await page.getByLabel("List name").fill("ADMIN-TEST");
      await page.getByLabel("File").setInputFiles({ name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from("id,type,name\nX-1,spaceship,Nobody\n") });
      await page.getByRole("button", { name: "Import list" }).click();
      const refused = page.locator("#import-form .form-error:not([hidden])");
      await refused.waitFor();
      assert.match(await refused.innerText(), /line 2/i, "the server's message names the line");
      await step("malformed file refused");

      await page.getByLabel("File").setInputFiles({
        name: "admin-test.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("id,type,name,country\nA-1,person,Ivo Example Testerov,BG\nA-2,organisation,Example Shell Holding,CY\n"),
      });
      await page.getByRole("button", { name: "Import list" }).click();
      await page.locator("#import-done").waitFor();
      assert.match(await page.locator("#import-done").innerText(), /ADMIN-TEST version 1: 2 added/);
      const row = page.locator('#imports-table tr[data-list="ADMIN-TEST"]');
      await row.waitFor();
      assert.match(await row.innerText(), /ada\.admin/);
      assert.match(await page.locator('#lists-table tr[data-list="ADMIN-TEST"]').innerText(), /2$/);
      await step("list imported");
    });
  });
});
