// The architecture's measurable rules (docs/architecture.md): small files and functions.
// The layer rules themselves run as `npm run check:layers` (dependency-cruiser) before vitest.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, oversizeFiles, oversizeFunctions } from './code-shape.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the code', () => {
  it(`has no source file over ${MAX_FILE_LINES} lines (migrations aside)`, () => {
    expect(oversizeFiles(root)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines outside the tests`, () => {
    expect(oversizeFunctions(root)).toEqual([]);
  });
});
