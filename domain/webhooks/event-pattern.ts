// Webhook event patterns: `*` matches any run of characters, everything else itself. Matched
// without a regular expression (a backtracking regex of many `.*` takes exponential time on a
// near miss): the parts between stars are found left to right, each at its first place after
// the one before, which is enough for stars alone and takes time linear in the pattern and type.

/** More stars than this say nothing more and are refused at registration. */
export const MAX_PATTERN_STARS = 8;

export function starCount(pattern: string): number {
  let stars = 0;
  for (const c of pattern) if (c === '*') stars += 1;
  return stars;
}

export function eventPatternMatches(pattern: string, type: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === type;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (first.length + last.length > type.length || !type.startsWith(first) || !type.endsWith(last)) return false;
  let at = first.length;
  const end = type.length - last.length;
  for (const part of parts.slice(1, -1)) {
    if (part === '') continue;
    const found = type.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Whether any of a subscription's patterns matches the event type. */
export function eventMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => eventPatternMatches(p, type));
}
