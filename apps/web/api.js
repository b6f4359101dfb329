// Calls to the configured backend. Every answer is timed per backend, and every problem answer
// becomes an ApiError carrying its RFC 9457 title, detail and code.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? "unknown";
    this.detail = problem?.detail ?? "";
    this.errors = problem?.errors ?? null;
  }

  /** What a person reads: the title, then the detail and each field error. */
  describe() {
    const fields = this.errors ? Object.entries(this.errors).map(([f, m]) => `${f} ${m.join(", ")}`) : [];
    return [this.message, this.detail, ...fields].filter(Boolean).join(" — ");
  }
}

export class Latencies {
  #samples = new Map();

  record(backendId, milliseconds) {
    const list = this.#samples.get(backendId) ?? [];
    list.push(milliseconds);
    if (list.length > 200) list.shift();
    this.#samples.set(backendId, list);
  }

  summary(backendId) {
    const list = [...(this.#samples.get(backendId) ?? [])].sort((a, b) => a - b);
    if (list.length === 0) return null;
    const at = (p) => list[Math.min(list.length - 1, Math.ceil(p * list.length) - 1)];
    return { count: list.length, p50: at(0.5), p95: at(0.95), last: this.#samples.get(backendId).at(-1) };
  }
}

export class Api {
  constructor(backend, user, latencies) {
    this.backend = backend;
    this.user = user;
    this.latencies = latencies;
  }

  async call(method, path, body) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-User"] = this.user;
    const started = performance.now();
    let response;
    try {
      response = await fetch(this.backend.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (networkError) {
      throw new ApiError(0, { title: "The backend cannot be reached.", detail: String(networkError.message ?? networkError), code: "network" });
    } finally {
      this.latencies.record(this.backend.id, performance.now() - started);
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, json);
    return { json, headers: response.headers };
  }

  canStart = () => this.call("GET", "/api/runs/can-start").then((r) => r.json);
  start = (request) => this.call("POST", "/api/runs/start", request).then((r) => r.json);
  running = () => this.call("GET", "/api/runs/running").then((r) => r.json);
  finish = (id) => this.call("POST", `/api/runs/${id}/finish`).then((r) => r.json);
  interruptAll = () => this.call("POST", "/api/runs/interrupt-all").then((r) => r.json);
  history = (cursor) => this.call("GET", `/api/runs?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`).then((r) => r.json);
  readings = (runId) => this.call("GET", `/api/sensors/data?runId=${runId}&limit=1000`).then((r) => r.json);
  sendReadings = (readings) =>
    this.call("POST", "/api/sensors/data", readings.length === 1 ? readings[0] : { readings }).then((r) => r.json);
}
