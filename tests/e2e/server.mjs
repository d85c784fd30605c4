// A tiny static file server for the coach app (web/app), bound to 127.0.0.1 only.
//
//   import { startServer } from "./server.mjs";  const s = await startServer();  s.url; await s.close();
//   node server.mjs [port]                        serves until stopped (port 0 or none: a free one)

import http from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const APP_ROOT = path.resolve(here, "../../web/app");
/** Test-only pages, served under `/__test__/` by this server alone (never by `cargo xtask serve`). */
export const TEST_PAGES = path.join(here, "pages");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts the server on 127.0.0.1 (a free port unless one is given). */
export function startServer({ root = APP_ROOT, port = 0 } = {}) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    requests.push(req.url);
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      res.end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      return send(400, "bad request\n");
    }
    if (rel.endsWith("/")) rel += "index.html";
    const [base, inside] = rel.startsWith("/__test__/") ? [TEST_PAGES, rel.slice("/__test__".length)] : [root, rel];
    const file = path.resolve(base, `.${inside}`);
    if (file !== base && !file.startsWith(base + path.sep)) return send(403, "forbidden\n");
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(404, "not found\n");
      const body = await readFile(file);
      const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      res.writeHead(200, { "content-type": type, "content-length": body.length, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      send(404, "not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address();
      resolve({
        port: actual,
        url: `http://127.0.0.1:${actual}/`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startServer({ port: Number(process.argv[2] ?? 0) });
  console.log(`serving ${APP_ROOT} at ${s.url}`);
}
