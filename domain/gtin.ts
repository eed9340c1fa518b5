// GTIN (GTIN-8/12/13/14) check-digit arithmetic (GS1 mod-10), used to validate
// catalogue entries and scanned barcodes.

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/** The check digit for the digits of a GTIN without its last digit. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  // Weights alternate 3,1,… starting from the rightmost digit of the body.
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(code: string): boolean {
  if (!/^\d+$/.test(code) || !GTIN_LENGTHS.has(code.length)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

/** Completes a GTIN body with its check digit. */
export function withCheckDigit(body: string): string {
  return body + String(gtinCheckDigit(body));
}
