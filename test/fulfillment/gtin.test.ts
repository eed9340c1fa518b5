import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, isValidGtin, withCheckDigit } from '../../domain/gtin.ts';

describe('GTIN check digits', () => {
  it('accepts real GTIN-13 and GTIN-12 codes', () => {
    expect(isValidGtin('4006381333931')).toBe(true); // a published EAN-13
    expect(isValidGtin('036000291452')).toBe(true); // a published UPC-A
  });

  it('refuses a code whose check digit is wrong, or that is not a GTIN length', () => {
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('12345')).toBe(false);
    expect(isValidGtin('40063813339a1')).toBe(false);
  });

  it('completes a body with the check digit GS1 defines', () => {
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(withCheckDigit('03600029145')).toBe('036000291452');
  });
});
