import { defineConfig } from "vitest/config";

// The bundle is served by the frontend itself (see ../frontend); `base: "./"` keeps every asset
// URL relative so the same build works under any path.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    target: "es2022",
    sourcemap: true,
    chunkSizeWarningLimit: 200,
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
