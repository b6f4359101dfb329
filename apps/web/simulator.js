// Realistic readings: each sensor drifts slowly around its own baseline (a mean-reverting random walk)
// with measurement noise on top, rather than uniform random values.

const baselines = { temperature: [21, 1.5, 0.05], humidity: [45, 4, 0.3], pressure: [1013, 3, 0.2] };
const bounds = { temperature: [-90, 150], humidity: [0, 100], pressure: [300, 1100] };

function gaussian() {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export class Sensor {
  constructor(id, measures) {
    this.id = id;
    this.state = {};
    for (const measure of measures) {
      const [mean, spread] = baselines[measure];
      this.state[measure] = { mean: mean + gaussian() * spread, value: mean + gaussian() * spread };
    }
  }

  /** The next reading: drift toward the sensor's own mean, a random step, and noise on the reported value. */
  next(runId, timestamp) {
    const reading = { runId, sensorId: this.id, timestamp: timestamp.toISOString() };
    for (const [measure, s] of Object.entries(this.state)) {
      const [, spread, noise] = baselines[measure];
      s.value += 0.1 * (s.mean - s.value) + gaussian() * spread * 0.1;
      const [min, max] = bounds[measure];
      reading[measure] = Math.round(Math.min(max, Math.max(min, s.value + gaussian() * noise)) * 100) / 100;
    }
    return reading;
  }
}

/**
 * Sends one reading per sensor every interval seconds for the run's duration. A transient failure (a gateway's
 * 502/504, the store's 503, or the backend unreachable) is retried with backoff and reported through onStatus; a
 * refusal (4xx) stops it. Retrying is safe: a reading is keyed by run, sensor and timestamp.
 */
export class Simulation {
  constructor(api, run, onStatus) {
    this.api = api;
    this.run = run;
    this.onStatus = onStatus;
    this.sent = 0;
    this.stopped = false;
    const measures = run.params.measures;
    this.sensors = Array.from({ length: run.params.sensorCount }, (_, i) => new Sensor(`sensor-${i + 1}`, measures));
  }

  start() {
    const endsAt = Date.parse(this.run.startedAt) + this.run.duration * 1000;
    const tick = async () => {
      if (this.stopped || Date.now() > endsAt) return this.stop("done");
      const now = new Date();
      await this.#send(this.sensors.map((s) => s.next(this.run.id, now)));
      if (!this.stopped) this.timer = setTimeout(tick, this.run.interval * 1000);
    };
    tick();
  }

  stop(reason = "stopped") {
    this.stopped = true;
    clearTimeout(this.timer);
    this.onStatus({ state: reason, sent: this.sent });
  }

  async #send(readings) {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        for (let i = 0; i < readings.length; i += 25) await this.api.sendReadings(readings.slice(i, i + 25));
        this.sent += readings.length;
        this.onStatus({ state: "sending", sent: this.sent });
        return;
      } catch (error) {
        const transient = [0, 502, 503, 504].includes(error.status);
        if (!transient || attempt >= 5) {
          this.onStatus({ state: "failed", sent: this.sent, error: error.describe?.() ?? String(error) });
          this.stopped = true;
          return;
        }
        this.onStatus({ state: "retrying", sent: this.sent, attempt, error: error.describe?.() ?? String(error) });
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }
}
