/**
 * Whether `value` nests deeper than `max` arrays/objects. Iterative, so any depth is safe to ask
 * about: JSON.stringify recurses, and a value nested deep enough overflows the stack.
 */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
