// count-proxy.mjs: a tiny logging reverse proxy for bench/run (not part of
// the product). It listens on 127.0.0.1 (a free port), forwards every request
// to --target (a loopback simulator) unchanged, and appends one JSON object per
// request to --log, so API calls can be counted from the outside whichever
// client made them:
//   {"method":"GET","path":"/v1/video-projects/ID","status":200,
//    "t_start":..., "t_end":...,            (Unix seconds, float; t_end = response fully relayed)
//    "project_status":"rendering", "created_at":"...", "id":"..."}   (JSON answers only)
// Its base URL ("http://127.0.0.1:PORT") is printed on the first line of stdout.
// Upload and download URLs handed out by the simulator point at the simulator
// itself, so bulk transfers do not go through this proxy.
//
//   node count-proxy.mjs --target http://127.0.0.1:PORT --log FILE
import http from "node:http";
import fs from "node:fs";
import process from "node:process";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { target: { type: "string" }, log: { type: "string" } },
});
if (!args.target || !args.log) {
  console.error("count-proxy.mjs: --target URL and --log FILE are required");
  process.exit(2);
}
const target = new URL(args.target);
if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
  console.error("count-proxy.mjs: the target must be a loopback address");
  process.exit(2);
}

const now = () => (performance.timeOrigin + performance.now()) / 1000;
const MAX_JSON = 1 << 20;

// One upstream connection per request: the proxy stays out of the way of
// the client's own connection handling.
const upstreamAgent = new http.Agent({ keepAlive: false });

const server = http.createServer((req, res) => {
  const tStart = now();
  const entry = { method: req.method, path: req.url.split("?")[0], status: 0, t_start: tStart };
  const upstream = http.request(
    {
      host: target.hostname.replace(/^\[|\]$/g, ""),
      port: target.port,
      method: req.method,
      path: req.url,
      agent: upstreamAgent,
      headers: { ...req.headers, host: target.host },
    },
    (up) => {
      entry.status = up.statusCode;
      res.writeHead(up.statusCode, up.rawHeaders);
      const isJson = String(up.headers["content-type"] || "").includes("json");
      const chunks = [];
      let size = 0;
      up.on("data", (chunk) => {
        if (isJson && size < MAX_JSON) chunks.push(chunk);
        size += chunk.length;
        res.write(chunk);
      });
      up.on("end", () => {
        res.end();
        entry.t_end = now();
        if (isJson && size < MAX_JSON) {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            if (body && typeof body === "object") {
              if ("status" in body) entry.project_status = body.status;
              if ("created_at" in body) entry.created_at = body.created_at;
              if ("id" in body) entry.id = body.id;
            }
          } catch {
            /* not JSON after all: log without the fields */
          }
        }
        fs.appendFileSync(args.log, JSON.stringify(entry) + "\n");
      });
    },
  );
  upstream.on("error", (error) => {
    entry.t_end = now();
    entry.error = String(error);
    fs.appendFileSync(args.log, JSON.stringify(entry) + "\n");
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "proxy: upstream failed" }));
  });
  req.pipe(upstream);
});

// Clients may pause several seconds between polls: keep their connections open.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
