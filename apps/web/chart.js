// A small line chart on a canvas: one line per sensor, temperature over time.

const colors = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

export function drawReadings(canvas, readings, measure = "temperature") {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const points = readings.filter((r) => typeof r[measure] === "number");
  canvas.dataset.points = String(points.length);
  if (points.length === 0) {
    ctx.fillStyle = "#6b7280";
    ctx.font = "12px sans-serif";
    ctx.fillText("waiting for readings…", 8, height / 2);
    return;
  }
  const times = points.map((r) => Date.parse(r.timestamp));
  const values = points.map((r) => r[measure]);
  const [t0, t1] = [Math.min(...times), Math.max(...times, Math.min(...times) + 1000)];
  const [v0, v1] = [Math.min(...values) - 0.5, Math.max(...values) + 0.5];
  const x = (t) => 30 + ((t - t0) / (t1 - t0)) * (width - 40);
  const y = (v) => height - 15 - ((v - v0) / (v1 - v0)) * (height - 25);

  ctx.fillStyle = "#6b7280";
  ctx.font = "10px sans-serif";
  ctx.fillText(v1.toFixed(1), 0, 12);
  ctx.fillText(v0.toFixed(1), 0, height - 15);

  const bySensor = Map.groupBy(points, (r) => r.sensorId);
  [...bySensor.keys()].sort().forEach((sensorId, i) => {
    ctx.strokeStyle = colors[i % colors.length];
    ctx.beginPath();
    bySensor.get(sensorId).forEach((r, j) => {
      const [px, py] = [x(Date.parse(r.timestamp)), y(r[measure])];
      if (j === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
  });
}
