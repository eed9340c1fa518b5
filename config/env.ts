// Small readers of environment variables, shared by the configuration modules.

/** The variable's value trimmed, or undefined when unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A value that must be one of `allowed`; the error names what it is. */
export function oneOf<T extends string>(raw: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`config: ${what} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/**
 * `key=value` pairs separated by commas (`de=karrio,us=builtin`), each value one of `allowed`:
 * the pairs as a record. `example` shows the form in the error.
 */
export function choicesByKey<T extends string>(raw: string | undefined, variable: string, key: RegExp, allowed: readonly T[], example: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const pair of (nonEmpty(raw) ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value, ...rest] = pair.split('=');
    if (rest.length > 0 || !name || !value || !key.test(name)) throw new Error(`config: ${variable} takes pairs separated by commas (${example}), got "${pair}"`);
    out[name] = oneOf(value, allowed, `the value for ${name} in ${variable}`);
  }
  return out;
}
