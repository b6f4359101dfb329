import { Api, ApiError, Latencies } from "./api.js";
import { drawReadings, latencyChart } from "./chart.js";
import { limits, validateStart, validateUser } from "./limits.js";
import { Simulation } from "./simulator.js";

const $ = (id) => document.getElementById(id);
const latencies = new Latencies();
const simulations = new Map();
const refreshEveryMs = 2000;
let config;
let historyCursor = null;

function currentBackend() {
  return config.backends.find((b) => b.id === $("backend").value) ?? config.backends[0];
}

function api() {
  return new Api(currentBackend(), $("user").value.trim(), latencies);
}

// A problem stays on screen until the user acts again; one from the background refresh goes once a refresh succeeds.
let errorFromRefresh = false;

function showError(error, fromRefresh = false) {
  const box = $("error");
  errorFromRefresh = fromRefresh;
  if (!error) {
    box.hidden = true;
    return;
  }
  box.textContent = error instanceof ApiError ? error.describe() : String(error.message ?? error);
  box.hidden = false;
}

async function guarded(action) {
  showError(null);
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}

async function refreshInBackground() {
  try {
    await refresh();
    if (errorFromRefresh) showError(null);
  } catch (error) {
    if (errorFromRefresh || $("error").hidden) showError(error, true);
  }
}

function renderLatency() {
  $("latency").textContent = config.backends
    .map((b) => {
      const s = latencies.summary(b.id);
      return s ? `${b.name}: p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms (${s.count} calls)` : `${b.name}: no calls yet`;
    })
    .join(" · ");
  for (const b of config.backends) {
    let figure = document.querySelector(`figure.backend-latency[data-backend="${b.id}"]`);
    if (!figure) {
      figure = Object.assign(document.createElement("figure"), { className: "backend-latency" });
      figure.dataset.backend = b.id;
      figure.append(document.createElement("figcaption"), latencyChart([], ""));
      $("latency-charts").append(figure);
    }
    const s = latencies.summary(b.id);
    figure.querySelector("figcaption").textContent = s
      ? `${b.name}: p50 ${s.p50.toFixed(0)} · p95 ${s.p95.toFixed(0)} · p99 ${s.p99.toFixed(0)} · max ${s.max.toFixed(0)} ms, ${s.count} calls, ${s.coldStarts} cold starts (red)`
      : `${b.name}: no calls yet`;
    figure.querySelector("svg").replaceWith(latencyChart(latencies.samples(b.id), `Answer times of ${b.name}`));
  }
}

/** The run's dashboard link, or where the page knows no Grafana runs (the local playground), a note saying so. */
function showGrafanaLink(link, none, run) {
  const grafana = config.grafana !== false;
  link.hidden = !grafana;
  none.hidden = grafana;
  if (grafana) link.href = run.grafanaUrl;
  else link.removeAttribute("href");
}

/** The latest compare report's tables, as the tool wrote them into its JSON. */
async function renderReport() {
  if (!config.comparison) return;
  const response = await fetch(config.comparison, { cache: "no-store" });
  if (!response.ok) return;
  const report = await response.json();
  $("report-status").textContent = `Measured ${new Date(report.date).toLocaleString()} on ${report.machine.os}, ${report.machine.processors} processors, commit ${report.machine.commit ?? "unknown"}.`;
  $("report-tables").replaceChildren(...report.tables.flatMap((table) => {
    const heading = Object.assign(document.createElement("h4"), { textContent: `Profile ${table.profile}` });
    const element = document.createElement("table");
    element.className = "report-table";
    element.dataset.profile = table.profile;
    const head = element.createTHead().insertRow();
    for (const cell of table.header) head.append(Object.assign(document.createElement("th"), { textContent: cell }));
    const body = element.createTBody();
    for (const row of table.rows) {
      const tr = body.insertRow();
      for (const cell of row) tr.insertCell().textContent = cell;
    }
    const wrapper = Object.assign(document.createElement("div"), { className: "scroll" });
    wrapper.append(element);
    return [heading, wrapper];
  }));
}

function renderQuota(quota) {
  $("quota").textContent = `${quota.currentRunning}/${quota.maxAllowed} running — ${quota.canStart ? "a run can start" : "quota reached"}`;
  const fill = $("gauge-fill");
  fill.style.width = `${(100 * quota.currentRunning) / quota.maxAllowed}%`;
  fill.classList.toggle("full", !quota.canStart);
}

function runCard(run) {
  let card = document.querySelector(`li.run[data-run-id="${run.id}"]`);
  if (!card) {
    card = $("run-card").content.firstElementChild.cloneNode(true);
    card.dataset.runId = run.id;
    card.querySelector(".run-user").textContent = run.username;
    card.querySelector(".run-id").textContent = run.id;
    showGrafanaLink(card.querySelector(".grafana"), card.querySelector(".no-grafana"), run);
    card.querySelector(".finish").addEventListener("click", () =>
      guarded(async () => {
        await api().finish(run.id);
        simulations.get(run.id)?.stop("finished");
        await refresh();
      }));
  }
  card.querySelector(".finish").hidden = run.username !== $("user").value.trim();
  const deadline = Date.parse(run.startedAt) + run.duration * 1000;
  const progress = Math.min(100, (100 * (Date.now() - Date.parse(run.startedAt))) / (deadline - Date.parse(run.startedAt)));
  card.querySelector("progress").value = progress;
  return card;
}

async function renderRunning(client, running) {
  const list = $("running");
  const cards = running.map(runCard);
  list.replaceChildren(...cards);
  await Promise.all(running.map(async (run, i) => {
    const page = await client.readings(run.id);
    drawReadings(cards[i].querySelector("canvas"), page.items, run.params.measures);
  }));
}

async function renderHistory(append) {
  const page = await api().history(append ? historyCursor : null);
  const rows = page.items.map((run) => {
    const row = document.createElement("tr");
    const link = document.createElement("a");
    link.textContent = "dashboard";
    link.target = "_blank";
    const none = Object.assign(document.createElement("span"), { className: "no-grafana", textContent: "no Grafana here" });
    showGrafanaLink(link, none, run);
    const cells = [new Date(run.startedAt).toLocaleString(), run.username, run.status + (run.endReason ? ` (${run.endReason})` : ""), `${run.duration} s`];
    row.append(...cells.map((text) => Object.assign(document.createElement("td"), { textContent: text })));
    row.append(Object.assign(document.createElement("td"), {}));
    row.lastChild.append(link, none);
    row.dataset.runId = run.id;
    return row;
  });
  if (append) $("history").append(...rows);
  else $("history").replaceChildren(...rows);
  historyCursor = page.nextCursor;
  $("older").hidden = !historyCursor;
}

async function refresh() {
  const client = api();
  const [quota, running] = await Promise.all([client.canStart(), client.running()]);
  renderQuota(quota);
  await renderRunning(client, running);
  if (!historyCursor || $("history").children.length <= 10) await renderHistory(false);
  renderLatency();
}

function readStartForm() {
  return {
    duration: Number($("duration").value),
    interval: Number($("interval").value),
    sensorCount: Number($("sensors").value),
    measures: [...document.querySelectorAll("input[name=measure]:checked")].map((m) => m.value),
  };
}

async function startRun(event) {
  event.preventDefault();
  const userError = validateUser($("user").value.trim());
  const form = readStartForm();
  const errors = validateStart(form);
  if (userError) errors.user = userError;
  $("form-errors").textContent = Object.entries(errors).map(([f, m]) => `${f} ${m}`).join("; ");
  if (Object.keys(errors).length > 0) return;

  const client = api();
  const run = await client.start({
    duration: form.duration,
    interval: form.interval,
    params: { sensorCount: form.sensorCount, measures: form.measures },
  });
  const simulation = new Simulation(client, run, (status) => {
    const line = document.querySelector(`li.run[data-run-id="${run.id}"] .sim-status`);
    if (line) line.textContent = `simulator: ${status.state}, ${status.sent} readings sent${status.error ? ` — ${status.error}` : ""}`;
    if (status.state === "retrying" || status.state === "failed") showError(status.error, status.state === "retrying");
  });
  simulations.set(run.id, simulation);
  simulation.start();
  await refresh();
}

async function main() {
  config = await (await fetch("config.json", { cache: "no-store" })).json();
  for (const backend of config.backends) $("backend").append(new Option(backend.name, backend.id));
  $("backend").value = localStorage.getItem("backend") ?? config.backends[0].id;
  $("user").value = localStorage.getItem("user") ?? "";
  $("duration").max = String(limits.maxDuration);
  $("sensors").max = String(limits.maxSensors);

  $("backend").addEventListener("change", () => {
    localStorage.setItem("backend", $("backend").value);
    historyCursor = null;
    guarded(refresh);
  });
  $("user").addEventListener("change", () => localStorage.setItem("user", $("user").value.trim()));
  $("start-form").addEventListener("submit", (event) => guarded(() => startRun(event)));
  $("older").addEventListener("click", () => guarded(() => renderHistory(true)));
  $("interrupt-all").addEventListener("click", () => {
    if (!confirm("Interrupt every running run, of every user?")) return;
    guarded(async () => {
      await api().interruptAll();
      for (const s of simulations.values()) s.stop("interrupted");
      await refresh();
    });
  });

  await refreshInBackground();
  setInterval(refreshInBackground, refreshEveryMs);
  await renderReport().catch((error) => {
    $("report-status").textContent = `The compare report could not be read: ${error.message ?? error}`;
  });
}

main();
