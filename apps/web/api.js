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

/** The answer times the page measured, per backend: the latest 500 calls, each marked when it met a new function instance. */
export class Latencies {
  #samples = new Map();

  record(backendId, milliseconds, coldStart = false) {
    const list = this.#samples.get(backendId) ?? [];
    list.push({ ms: milliseconds, coldStart });
    if (list.length > 500) list.shift();
    this.#samples.set(backendId, list);
  }

  samples(backendId) {
    return [...(this.#samples.get(backendId) ?? [])];
  }

  /** Nearest-rank percentiles of the kept calls, or null before the first call. */
  summary(backendId) {
    const list = this.samples(backendId).map((s) => s.ms).sort((a, b) => a - b);
    if (list.length === 0) return null;
    const at = (p) => list[Math.min(list.length - 1, Math.ceil(p * list.length) - 1)];
    const coldStarts = this.samples(backendId).filter((s) => s.coldStart).length;
    return { count: list.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: list.at(-1), coldStarts };
  }
}

/** Set by a function host on the answer of the first call a new function instance handled. */
const coldStartHeader = "X-Cold-Start";

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
      this.latencies.record(this.backend.id, performance.now() - started);
      throw new ApiError(0, { title: "The backend cannot be reached.", detail: String(networkError.message ?? networkError), code: "network" });
    }
    this.latencies.record(this.backend.id, performance.now() - started, response.headers.get(coldStartHeader) === "true");
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
