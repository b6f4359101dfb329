// Serves the web page on loopback with a config.json naming the local backends, as the Frontend stack
// writes one naming the deployed ones.
//   node apps/web/serve.mjs --port 5173 --backend "ecs=Container (ECS)=http://127.0.0.1:5080" [--backend ...]
//     [--no-grafana] [--comparison .local/compare/compare.json]
// --no-grafana: no Grafana runs beside these backends, so the page says so instead of linking to one.
// --comparison: the compare tool's JSON report, whose tables the page shows (read on each request: a new run shows).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const args = process.argv.slice(2);
const option = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const port = Number(option("--port")[0] ?? 5173);
const backends = option("--backend").map((spec) => {
  const [id, name, url] = spec.split("=");
  return { id, name, url: url.replace(/\/$/, "") };
});
if (backends.length === 0) {
  console.error('At least one --backend "id=Name=http://host:port" is required.');
  process.exit(2);
}

const grafana = !args.includes("--no-grafana");
const comparison = option("--comparison")[0];

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".png": "image/png" };

createServer(async (request, response) => {
  const path = new URL(request.url, "http://localhost").pathname;
  if (path === "/config.json") {
    response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    return response.end(JSON.stringify({ backends, grafana, ...(comparison ? { comparison: "comparison.json" } : {}) }));
  }
  if (path === "/comparison.json" && comparison) {
    try {
      const body = await readFile(comparison);
      response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      return response.end(body);
    } catch {
      response.writeHead(404);
      return response.end();
    }
  }
  const file = normalize(join(root, path === "/" ? "index.html" : path));
  if (!file.startsWith(root) || file.endsWith(".mjs")) {
    response.writeHead(404);
    return response.end();
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, { "Content-Type": `${types[extname(file)] ?? "application/octet-stream"}; charset=utf-8` });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
}).listen(port, "127.0.0.1", () => console.log(`Web page: http://127.0.0.1:${port}`));
