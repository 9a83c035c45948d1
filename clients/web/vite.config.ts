import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The built app (dist/) is served by the API host on port 5080 at "/", same origin as gRPC-Web.
// In development, gRPC-Web calls (paths "/<package>.<Service>/<Method>") are proxied to the API host.
const apiTarget = process.env.B2BTRADE_API_URL ?? "http://127.0.0.1:5080";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "^/(b2btrade|grpc)\\.[^/]+/": { target: apiTarget, changeOrigin: true },
    },
  },
  build: {
    outDir: "dist",
    chunkSizeWarningLimit: 2500,
  },
});
