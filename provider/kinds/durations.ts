// Lengths of time on the wire (a schedule's interval, a trigger's `within`). Prefect's own client
// sends them as numbers of seconds, and so do we. A server answers in the form it was sent on
// Python 3.13 or newer (`900` stays `900.0`, `"PT30M"` stays `"PT30M"`), or always as seconds
// on older Pythons (recordings README "Durations"; scenarios.jsonl "schedule add interval iso"),
// and objects other tools made may hold ISO 8601 text: every reader takes both and compares
// by value.

// pydantic (speedate) prints a timedelta as ISO 8601 with years of 365 days and days, and
// parses months as 30 days and weeks as 7; a sign may lead.
const ISO_DURATION =
  /^([+-])?P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

const FACTORS = [365 * 86_400, 30 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1];

/**
 * Seconds in a duration as a server may answer it: a number, a numeric string, or ISO 8601 text
 * (`PT900S`, `PT1H30M`, `P1D`, `P1DT2H`); `undefined` for anything else (null included).
 */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  const match = ISO_DURATION.exec(text);
  if (!match) return undefined;
  let total = 0;
  FACTORS.forEach((factor, index) => {
    total += Number(match[index + 2] ?? 0) * factor;
  });
  // Whole and fractional parts add up in binary floating point; Prefect keeps microseconds.
  total = Math.round(total * 1e6) / 1e6;
  return match[1] === "-" ? -total : total;
}

/**
 * Seconds typed as the generated wire types type a duration. The OpenAPI document declares
 * durations as ISO 8601 text, but pydantic takes a number of seconds wherever it takes a
 * timedelta, and that is what Prefect's own client sends (recordings README "Durations"); the
 * contract validator accepts both.
 */
export function wireDuration(seconds: number): string {
  return seconds as unknown as string;
}
