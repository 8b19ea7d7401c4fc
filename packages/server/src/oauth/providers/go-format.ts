/**
 * A JSON value as Go's `fmt.Sprintf("%v")` prints it after `json.Unmarshal` into `interface{}`,
 * which is how Komari's generic provider turns `userinfo[user_id_field]` into an sso_id: numbers
 * are float64, so 1234567 prints `1.234567e+06`. Reproduced so bindings imported from Komari
 * keep matching. Objects, arrays and null are refused (Komari would print `map[…]` or `<nil>`).
 */
export function goFormatValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return goFloat(value);
  return undefined;
}

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits; exponent form when exp < -4 or exp >= 6. */
function goFloat(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp >= -4 && exp < 6) return String(f);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}
