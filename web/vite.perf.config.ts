import { resolve } from "node:path";
import { defineConfig } from "vite";

// Builds the map performance page (tests/perf) on its own, into dist-perf/, so that it never
// ships in the console's dist/.
export default defineConfig({
  root: resolve(import.meta.dirname, "tests/perf"),
  base: "./",
  build: {
    target: "es2022",
    outDir: resolve(import.meta.dirname, "dist-perf"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: { input: resolve(import.meta.dirname, "tests/perf/map-perf.html") },
  },
});
