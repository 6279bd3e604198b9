// generate.mjs: one job through the official Magic Hour Node SDK
// (npm "magic-hour"), for bench/run and bench/polling/run. Not part of the product.
//
//   MAGIC_HOUR_API_KEY=... node generate.mjs [--tool lip-sync] --base-url URL \
//       --video FILE --audio FILE --start S --end S --out-dir DIR --events FILE
//   ... --tool talking-photo --image FILE --audio FILE --start S --end S ...
//   ... --tool headshot --image FILE ...
//
// It calls exactly what a user of the SDK would call:
//   new Client({ token, baseUrl }).v1.lipSync.generate(request,
//       { waitForCompletion: true, downloadOutputs: true, downloadDirectory })
// (v1.aiTalkingPhoto.generate, v1.aiHeadshotGenerator.generate for the other
// tools; option names read from node_modules/magic-hour/dist: client.js,
// resources/v1/{lip-sync,ai-talking-photo,ai-headshot-generator}/resource-client.js,
// resources/v1/{video,image}-projects/resource-client.js). The SDK polls every
// MAGIC_HOUR_POLL_INTERVAL seconds (default 0.5); the benchmarks leave that
// variable unset.
//
// To split the run into phases without changing what the SDK does, every
// HTTP request the SDK makes is observed: the SDK and its HTTP layer
// (make-api-request-js) look up `require("node-fetch").default` at each
// call, so wrapping that property sees them all. One JSON object per line is
// appended to the --events file (the SDK's own logger writes to stdout):
//   {"event":"start","t":...}
//   {"event":"request","kind":"upload-urls|upload|create|project|download|other",
//    "method":..., "path":..., "status":..., "t_start":..., "t_end":...,
//    "project_status":... (project GETs), "max_rss_kib":...}
//   {"event":"done","t":...,"status":...,"project_id":...,"downloaded":[{path,bytes}],
//    "status_checks":N,"max_rss_kib_upload":...,"max_rss_kib":...}
//   {"event":"error","t":...,"message":...}
// t values are Unix times in seconds (float). t_end of a request is when its
// response headers arrived (for a PUT: after the whole body was sent).
import { createRequire } from "node:module";
import fs from "node:fs";
import process from "node:process";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);

const { values: args } = parseArgs({
  options: {
    tool: { type: "string", default: "lip-sync" },
    "base-url": { type: "string" },
    video: { type: "string" },
    image: { type: "string" },
    audio: { type: "string" },
    start: { type: "string", default: "0" },
    end: { type: "string", default: "1" },
    "out-dir": { type: "string" },
    events: { type: "string" },
  },
});
const toolInputs = { "lip-sync": ["video", "audio"], "talking-photo": ["image", "audio"], headshot: ["image"] };
if (!(args.tool in toolInputs)) {
  console.error(`generate.mjs: --tool must be one of ${Object.keys(toolInputs).join(", ")}`);
  process.exit(2);
}
for (const required of ["base-url", ...toolInputs[args.tool], "out-dir", "events"]) {
  if (!args[required]) {
    console.error(`generate.mjs: --${required} is required`);
    process.exit(2);
  }
}
const token = (process.env.MAGIC_HOUR_API_KEY || "").trim();
if (!token) {
  console.error("generate.mjs: set MAGIC_HOUR_API_KEY");
  process.exit(2);
}

const now = () => (performance.timeOrigin + performance.now()) / 1000;
const maxRssKib = () => process.resourceUsage().maxRSS; // KiB, the peak so far
const emit = (obj) => fs.appendFileSync(args.events, JSON.stringify(obj) + "\n");

function kindOf(method, path) {
  if (method === "POST" && path === "/v1/files/upload-urls") return "upload-urls";
  if (method === "PUT") return "upload";
  if (method === "GET" && /^\/v1\/(video|image)-projects\//.test(path)) return "project";
  if (method === "POST" && path.startsWith("/v1/")) return "create";
  if (method === "GET" && !path.startsWith("/v1/")) return "download";
  return "other";
}

// Observe the SDK's HTTP requests (see the header comment).
const nodeFetch = require("node-fetch");
const realFetch = nodeFetch.default;
let statusChecks = 0;
let maxRssUpload = null;
nodeFetch.default = async function observedFetch(url, init = {}) {
  const method = (init.method || "GET").toUpperCase();
  const path = new URL(String(url)).pathname;
  const kind = kindOf(method, path);
  if (kind === "create" && maxRssUpload === null) maxRssUpload = maxRssKib();
  if (kind === "project") statusChecks++;
  const tStart = now();
  const response = await realFetch(url, init);
  const event = { event: "request", kind, method, path, status: response.status, t_start: tStart, t_end: now() };
  if (kind === "project") {
    try {
      event.project_status = (await response.clone().json()).status;
    } catch {
      event.project_status = null;
    }
  }
  event.max_rss_kib = maxRssKib();
  emit(event);
  return response;
};

const { default: Client } = require("magic-hour");

emit({ event: "start", t: now(), tool: args.tool, node: process.version, sdk: JSON.parse(fs.readFileSync(new URL("./node_modules/magic-hour/package.json", import.meta.url))).version });
try {
  const client = new Client({ token, baseUrl: args["base-url"] });
  const opts = { waitForCompletion: true, downloadOutputs: true, downloadDirectory: args["out-dir"] };
  const range = { startSeconds: Number(args.start), endSeconds: Number(args.end) };
  let result;
  if (args.tool === "headshot") {
    result = await client.v1.aiHeadshotGenerator.generate({ assets: { imageFilePath: args.image } }, opts);
  } else if (args.tool === "talking-photo") {
    result = await client.v1.aiTalkingPhoto.generate(
      { assets: { imageFilePath: args.image, audioFilePath: args.audio }, ...range },
      opts,
    );
  } else {
    result = await client.v1.lipSync.generate(
      { assets: { videoSource: "file", videoFilePath: args.video, audioFilePath: args.audio }, ...range },
      opts,
    );
  }
  const downloaded = (result.downloadedPaths || []).map((p) => ({ path: p, bytes: fs.statSync(p).size }));
  emit({
    event: "done",
    t: now(),
    status: result.status,
    project_id: result.id,
    downloads: (result.downloads || []).length,
    downloaded,
    status_checks: statusChecks,
    max_rss_kib_upload: maxRssUpload,
    max_rss_kib: maxRssKib(),
  });
  // The SDK swallows download errors (it logs them and returns fewer paths).
  process.exit(result.status === "complete" && downloaded.length === (result.downloads || []).length ? 0 : 1);
} catch (error) {
  emit({ event: "error", t: now(), message: String(error && error.stack ? error.stack : error), max_rss_kib: maxRssKib() });
  process.exit(1);
}
