// The API's limits (apps/IotPlayground.Domain: RunRules, Users, SensorReadings), so that the page refuses
// what the API would refuse before sending it. A test holds the two together.
export const limits = Object.freeze({
  maxRunning: 5,
  minDuration: 5,
  maxDuration: 86400,
  minInterval: 1,
  maxInterval: 3600,
  maxSensors: 20,
  maxUserLength: 64,
  userPattern: /^[A-Za-z0-9._@-]{1,64}$/,
  measures: ["temperature", "humidity", "pressure"],
});

/** Field errors of a start form, keyed like the API's problem details. */
export function validateStart({ duration, interval, sensorCount }) {
  const errors = {};
  const whole = (v) => Number.isInteger(v);
  if (!whole(duration) || duration < limits.minDuration || duration > limits.maxDuration) {
    errors.duration = `must be between ${limits.minDuration} and ${limits.maxDuration}`;
  }
  if (!whole(interval) || interval < limits.minInterval || interval > limits.maxInterval) {
    errors.interval = `must be between ${limits.minInterval} and ${limits.maxInterval}`;
  } else if (whole(duration) && interval > duration) {
    errors.interval = "must not be longer than duration";
  }
  if (!whole(sensorCount) || sensorCount < 1 || sensorCount > limits.maxSensors) {
    errors["params.sensorCount"] = `must be between 1 and ${limits.maxSensors}`;
  }
  return errors;
}

export function validateUser(user) {
  return limits.userPattern.test(user)
    ? null
    : `1 to ${limits.maxUserLength} characters of letters, digits, '.', '_', '@' and '-'`;
}
