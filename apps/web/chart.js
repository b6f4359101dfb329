// The page's charts. The readings chart draws one panel per measure of the run (each with its unit), time on the
// x axis and a line per sensor, with a legend naming them. The latency chart draws the distribution of the answer
// times the page measured against one backend, cold starts marked.

const colors = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
const units = { temperature: "°C", humidity: "%", pressure: "hPa" };
const panelHeight = 120;
const legendHeight = 18;
const left = 46;
const right = 8;

function clock(ms) {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Readings of a run on a canvas: a panel per measure, a line per sensor, axes with units and a legend. */
export function drawReadings(canvas, readings, measures = ["temperature"]) {
  const shown = measures.filter((m) => m in units);
  canvas.height = legendHeight + shown.length * panelHeight;
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  canvas.dataset.points = String(readings.filter((r) => typeof r.temperature === "number").length);
  ctx.font = "11px sans-serif";
  if (readings.length === 0) {
    ctx.fillStyle = "#6b7280";
    ctx.fillText("waiting for readings…", left, height / 2);
    return;
  }

  const sensors = [...new Set(readings.map((r) => r.sensorId))].sort();
  canvas.dataset.legend = sensors.join(",");
  let x0 = left;
  sensors.forEach((sensorId, i) => {
    ctx.fillStyle = colors[i % colors.length];
    ctx.fillRect(x0, 4, 10, 10);
    ctx.fillStyle = "#111827";
    ctx.fillText(sensorId, x0 + 14, 13);
    x0 += 24 + ctx.measureText(sensorId).width;
  });

  const times = readings.map((r) => Date.parse(r.timestamp));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1000);
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);
  shown.forEach((measure, panel) => {
    const top = legendHeight + panel * panelHeight + 6;
    const bottom = top + panelHeight - 30;
    const values = readings.map((r) => r[measure]).filter((v) => typeof v === "number");
    const v0 = values.length ? Math.min(...values) - 0.5 : 0;
    const v1 = values.length ? Math.max(...values) + 0.5 : 1;
    const y = (v) => bottom - ((v - v0) / (v1 - v0)) * (bottom - top);

    ctx.strokeStyle = "#9ca3af";
    ctx.beginPath();
    ctx.moveTo(left, top);
    ctx.lineTo(left, bottom);
    ctx.lineTo(width - right, bottom);
    ctx.stroke();
    ctx.fillStyle = "#374151";
    ctx.textAlign = "right";
    ctx.fillText(v1.toFixed(1), left - 4, top + 8);
    ctx.fillText(v0.toFixed(1), left - 4, bottom);
    ctx.save();
    ctx.translate(10, (top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.fillText(`${measure} (${units[measure]})`, 0, 0);
    ctx.restore();
    ctx.textAlign = "left";
    ctx.fillText(clock(t0), left, bottom + 13);
    ctx.textAlign = "right";
    ctx.fillText(`${clock(t1)} UTC`, width - right, bottom + 13);
    ctx.textAlign = "left";

    sensors.forEach((sensorId, i) => {
      ctx.strokeStyle = colors[i % colors.length];
      ctx.beginPath();
      readings
        .filter((r) => r.sensorId === sensorId && typeof r[measure] === "number")
        .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
        .forEach((r, j) => {
          const [px, py] = [x(Date.parse(r.timestamp)), y(r[measure])];
          if (j === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        });
      ctx.stroke();
    });
  });
}

const svgNs = "http://www.w3.org/2000/svg";

function svg(name, attributes, text) {
  const element = document.createElementNS(svgNs, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * The distribution of a backend's answer times as the page measured them: the share of calls answered within each
 * latency (a step curve from 0 to 100 %), with the calls that met a new function instance as red dots.
 */
export function latencyChart(samples, label) {
  const width = 360;
  const height = 180;
  const [l, r, t, b] = [44, 10, 10, 34];
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, class: "latency-chart" });
  chart.append(svg("title", {}, label));
  const sorted = [...samples].sort((p, q) => p.ms - q.ms);
  chart.dataset.samples = String(sorted.length);
  chart.dataset.coldStarts = String(sorted.filter((s) => s.coldStart).length);
  if (sorted.length === 0) {
    chart.append(svg("text", { x: l, y: height / 2, "font-size": 12, fill: "#6b7280" }, "no calls yet"));
    return chart;
  }
  const max = Math.max(1, sorted.at(-1).ms);
  const x = (ms) => l + (ms / max) * (width - l - r);
  const y = (share) => height - b - share * (height - t - b);
  chart.append(svg("path", { d: `M${l},${t} V${y(0)} H${width - r}`, fill: "none", stroke: "#9ca3af" }));
  for (const share of [0, 0.5, 1]) {
    chart.append(svg("text", { x: l - 4, y: y(share) + 4, "font-size": 10, "text-anchor": "end" }, `${share * 100}%`));
  }
  for (const ms of [0, max / 2, max]) {
    chart.append(svg("text", { x: x(ms), y: height - b + 13, "font-size": 10, "text-anchor": "middle" }, ms.toFixed(0)));
  }
  chart.append(svg("text", { x: (l + width - r) / 2, y: height - 4, "font-size": 11, "text-anchor": "middle" }, "answer time, ms (calls answered within it, %)"));
  const steps = sorted.map((s, i) => `H${x(s.ms).toFixed(1)} V${y((i + 1) / sorted.length).toFixed(1)}`).join(" ");
  chart.append(svg("path", { d: `M${x(0)},${y(0)} ${steps}`, fill: "none", stroke: "#2563eb", "stroke-width": 2, class: "distribution" }));
  sorted.forEach((s, i) => {
    if (s.coldStart) chart.append(svg("circle", { cx: x(s.ms), cy: y((i + 1) / sorted.length), r: 4, fill: "#dc2626", class: "cold-start" }));
  });
  return chart;
}
