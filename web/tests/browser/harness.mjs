// Test harness for the console's browser tests: a real `cordon serve` on loopback with a temp
// database and simulated data, Debian's Chromium driven by playwright-core, and a screenshot per
// step under web/test-artifacts/.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, isAbsolute, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const REPO_ROOT = resolve(WEB_DIR, "..");
export const ARTIFACTS = join(WEB_DIR, "test-artifacts");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function cordonBinary() {
  const configured = process.env.CORDON_BINARY ?? "build/debug/cordon";
  return isAbsolute(configured) ? configured : resolve(REPO_ROOT, configured);
}

function run(args, { input, cwd } = {}) {
  const binary = cordonBinary();
  const result = spawnSync(binary, args, { input, cwd, encoding: "utf8", timeout: 120_000 });
  if (result.error) throw new Error(`${binary} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * A running `cordon serve` with its own temp database holding the simulated world.
 * users: [{username, password, roles: [...], token?: true}], created with `cordon admin create`;
 * a user with `token: true` also gets a bearer token (`cordon admin token`), in `tokens[username]`,
 * for setting up data through the API as a machine client would.
 */
export async function startCordon({ users = [], scale = "0.05" } = {}) {
  const binary = cordonBinary();
  if (!existsSync(binary)) throw new Error(`no cordon binary at ${binary} (set CORDON_BINARY or build it first)`);
  const webRoot = join(WEB_DIR, "dist");
  if (!existsSync(join(webRoot, "index.html"))) throw new Error(`no built console at ${webRoot} (run npm run build)`);
  const dir = mkdtempSync(join(tmpdir(), "cordon-web-test-"));
  const db = join(dir, "cordon.db");
  const world = join(dir, "world");
  run(["simulate", "--out", world, "--scale", scale]);
  run(["import", "declarations", join(world, "declarations.ndjson"), "--db", db]);
  for (const user of users) {
    const args = ["admin", "create", "--username", user.username, "--password-stdin", "--db", db];
    for (const role of user.roles) args.push("--role", role);
    run(args, { input: `${user.password}\n` });
  }
  const tokens = {};
  for (const user of users.filter((u) => u.token)) {
    tokens[user.username] = run(["admin", "token", "--username", user.username, "--name", "browser test setup", "--db", db]).trim();
  }

  const child = spawn(binary, ["serve", "--listen", "127.0.0.1:0", "--db", db, "--web-root", webRoot, "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const url = await new Promise((resolvePromise, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`cordon serve did not start in 30 s\n${stderr}`)), 30_000);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const line = stdout.split("\n")[0];
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`cordon serve exited ${code} before listening\n${stdout}\n${stderr}`));
    });
  });
  child.removeAllListeners("exit");

  return {
    url,
    db,
    dir,
    tokens,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((done) => {
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            done();
          }, 10_000);
          child.once("exit", () => {
            clearTimeout(timer);
            done();
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One API request with a bearer token (test set-up through the real API, as a machine client).
 * Returns the parsed JSON; throws with the server's answer when the status is not `expect`.
 */
export async function apiRequest(baseUrl, token, method, path, { json, body, contentType, expect } = {}) {
  const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  if (json !== undefined) headers["Content-Type"] = "application/json";
  else if (contentType) headers["Content-Type"] = contentType;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: json !== undefined ? JSON.stringify(json) : body });
  const text = await response.text();
  const wanted = expect ?? [200, 201, 202, 204];
  if (!(Array.isArray(wanted) ? wanted : [wanted]).includes(response.status)) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** A static file server on loopback (for the map performance page, which needs no API). */
export async function startStatic(root) {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((done) => server.close(done)) };
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A fresh browser (own --user-data-dir) whose requests may only go to `origin`.
 * Returns {context, page, offsite, close}; `offsite` lists every request that tried to leave.
 */
export async function openBrowser(origin, { viewport = { width: 1366, height: 768 } } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  const profile = mkdtempSync(join(tmpdir(), "cordon-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    timeout: 60_000,
  });
  const offsite = [];
  await context.route(
    (url) => url.origin !== origin && url.protocol !== "data:" && url.protocol !== "blob:",
    (route) => {
      offsite.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  return {
    context,
    page,
    offsite,
    consoleErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots numbered in order under test-artifacts/<scenario>/. */
export function stepper(scenario, page) {
  const dir = join(ARTIFACTS, scenario);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let count = 0;
  return async function step(name) {
    count += 1;
    const file = join(dir, `${String(count).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`);
    await page.screenshot({ path: file, fullPage: false });
    return file;
  };
}

/** Sign in through the form (mouse-free is tested separately). */
export async function signIn(page, url, username, password) {
  await page.goto(`${url}/#/sign-in`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("html[data-ready]").waitFor();
  await page.locator("#app-header:not([hidden])").waitFor();
}

/** How far the page scrolls sideways at its current size (0 or less: it fits). */
export function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
