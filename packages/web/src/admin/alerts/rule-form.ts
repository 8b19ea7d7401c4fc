// Reading the number boxes of the rule forms. Boxes hold text so a half-typed value is not lost;
// a value is read when saving, and the first one out of range names itself.

/** A whole number in [min, max], or undefined. */
export function wholeIn(text: string, min: number, max: number): number | undefined {
  const s = text.trim();
  if (!/^-?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

/** Any finite number in [min, max] (decimals allowed), or undefined. */
export function numberIn(text: string, min: number, max: number): number | undefined {
  const s = text.trim();
  if (s === '' || !Number.isFinite(Number(s))) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

/** Thrown by a form's reader: the i18n key of the problem and its values. */
export class FormProblem extends Error {
  readonly values: Record<string, unknown>;
  constructor(key: string, values: Record<string, unknown> = {}) {
    super(key);
    this.values = values;
  }
}

/** `wholeIn` that throws a FormProblem naming the field and its bounds. */
export function needWhole(text: string, min: number, max: number, field: string): number {
  const n = wholeIn(text, min, max);
  if (n === undefined) throw new FormProblem('errors.whole', { field, min, max });
  return n;
}

export function needNumber(text: string, min: number, max: number, field: string): number {
  const n = numberIn(text, min, max);
  if (n === undefined) throw new FormProblem('errors.number', { field, min, max });
  return n;
}
