// The offline map with 10,000 clustered vehicles: load time and frame times while panning,
// zooming and updating positions. Figures are printed (bench/ keeps them); the assertions check
// only what does not depend on the machine's speed: the map works offline and clusters.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { openBrowser, startStatic, stepper, WEB_DIR } from "./harness.mjs";

test("map: 10,000 vehicles on the offline basemap, clustered", async () => {
  const root = join(WEB_DIR, "dist-perf");
  assert.ok(existsSync(join(root, "map-perf.html")), "build the page first: npm run build:perf");
  const server = await startStatic(root);
  const browser = await openBrowser(server.url);
  const step = stepper("map-perf", browser.page);
  try {
    const page = browser.page;
    await page.goto(`${server.url}/map-perf.html?vehicles=${process.env.MAP_VEHICLES ?? 10000}&detail=${process.env.MAP_DETAIL ?? "50m"}&clustering=${process.env.MAP_CLUSTERING ?? "supercluster"}`);
    await page.locator("body[data-done]").waitFor({ timeout: 120_000 });
    await step("after interaction");
    const error = await page.evaluate(() => window.mapPerfError);
    assert.equal(error, undefined, error);
    const result = await page.evaluate(() => window.mapPerf);
    console.log(
      `map, ${result.vehicles} vehicles, ${result.clustering}, ${result.detail} shapes: basemap ${result.basemapMs} ms, clustering ${result.addMs} ms; ` +
        `frames during ${result.interactionMs} ms of pan/zoom/updates: p50 ${result.frameMs.p50} ms, ` +
        `p95 ${result.frameMs.p95} ms, p99 ${result.frameMs.p99} ms, max ${result.frameMs.max} ms, ` +
        `${result.longFrames} of ${result.frames} over 50 ms`,
    );
    console.log(`map, slowest call per step (ms): ${JSON.stringify(result.worstStepMs)}`);
    console.log(`map, longest frame per step (ms): ${JSON.stringify(result.worstFrameByStepMs)}`);
    console.log(`map, markers in the DOM after each step: ${JSON.stringify(result.markersByStep)}`);
    assert.equal(result.vehicles, Number(process.env.MAP_VEHICLES ?? 10000));
    assert.ok(result.vehicles === 0 || result.clustersInDom > 0, "vehicles are clustered");
    assert.ok(result.markersInDom < 2000, `only what is visible is in the DOM (${result.markersInDom} icons)`);
    // The basemap is drawn: the canvas has country pixels.
    assert.ok(await page.locator(".leaflet-overlay-pane canvas").count() >= 1, "the country shapes are drawn");
    assert.deepEqual(browser.offsite, [], "no request leaves the machine");
    await page.evaluate(() => window.scrollTo(0, 0));
  } catch (error) {
    await step("failure").catch(() => {});
    throw error;
  } finally {
    await browser.close();
    await server.stop();
  }
});
