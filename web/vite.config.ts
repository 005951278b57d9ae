import { defineConfig } from "vite";

// The console is served by `cordon serve --web-root web/dist`, same origin as the API.
// `base: "./"` keeps asset URLs relative so the console also works under a path prefix.
// In development `npm run dev` proxies /api to a local `cordon serve` (CORDON_URL).
export default defineConfig({
  base: "./",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // The map chunk (Leaflet + country shapes) is loaded only by pages that show a map.
    chunkSizeWarningLimit: 900,
    modulePreload: { polyfill: false },
  },
  server: {
    // ws: the alarm feed (/api/v1/alarms/live) is a WebSocket.
    proxy: { "/api": { target: process.env.CORDON_URL ?? "http://127.0.0.1:8080", ws: true } },
  },
});
