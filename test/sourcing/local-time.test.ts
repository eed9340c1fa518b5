// Dates across a daylight-saving change are calendar arithmetic in the location's time zone,
// not 86,400-second steps. America/Chicago springs forward on 2027-03-14 (a 23-hour day) and
// falls back on 2027-11-07 (a 25-hour day).
import { describe, expect, it } from 'vitest';
import { addLocalDays, estimatedDelivery, localDate, nextOpenAt } from '../../domain/shipping/local-time.ts';
import { receiptDeadline, returnableUnits } from '../../domain/returns/rules.ts';
import type { FulfillmentResource } from '../../domain/fulfillments/schemas.ts';

const CHICAGO = 'America/Chicago';

describe('local calendar days', () => {
  it('count the next day after a late order on the eve of spring-forward as one day, not two', () => {
    const lateSaturday = new Date('2027-03-14T05:30:00Z'); // 23:30 CST on Saturday 13 March
    expect(localDate(lateSaturday, CHICAGO)).toBe('2027-03-13');
    expect(localDate(lateSaturday, CHICAGO, 1)).toBe('2027-03-14');
    expect(localDate(lateSaturday, CHICAGO, 2)).toBe('2027-03-15');
  });

  it('keep the local clock time across a change: noon stays noon', () => {
    expect(addLocalDays(new Date('2027-03-13T18:00:00Z'), CHICAGO, 1).toISOString()).toBe('2027-03-14T17:00:00.000Z'); // 12:00 CST → 12:00 CDT
    expect(addLocalDays(new Date('2027-11-06T17:00:00Z'), CHICAGO, 3).toISOString()).toBe('2027-11-09T18:00:00.000Z'); // 12:00 CDT → 12:00 CST
  });

  it('promise delivery on the right weekday across a change', () => {
    // Saturday 23:30 CST, a location open every day, ground (2 days): leaves Sunday (after the 17:00 cut-off today), arrives Tuesday.
    const hours = [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '08:00', close: '20:00' }];
    expect(estimatedDelivery(new Date('2027-03-14T05:30:00Z'), CHICAGO, 17, 2, hours)).toBe('2027-03-16');
    // Closed on Sundays: leaves Monday, arrives Wednesday.
    const noSunday = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '08:00', close: '20:00' }];
    expect(estimatedDelivery(new Date('2027-03-14T05:30:00Z'), CHICAGO, 17, 2, noSunday)).toBe('2027-03-17');
  });

  it('end a return’s receipt deadline and window at the same local time days later', () => {
    expect(receiptDeadline('2027-10-31T17:00:00.000Z', 14, CHICAGO)).toBe('2027-11-14T18:00:00.000Z');
    const delivered = {
      locationId: 'STORE-1',
      status: 'delivered',
      lines: [{ lineId: '1', quantity: 1, short: 0 }],
      events: [{ at: '2027-10-31T17:00:00.000Z', type: 'fulfillment.delivered', detail: {} }],
      updatedAt: '2027-10-31T17:00:00.000Z',
    } as unknown as FulfillmentResource;
    // 30 days after 12:00 CDT is 12:00 CST on 30 November (18:00Z), an hour later than 30 × 24 h.
    const at = (iso: string) => returnableUnits([delivered], new Map(), 30, Date.parse(iso), () => CHICAGO).inWindow('1');
    expect(at('2027-11-30T17:30:00Z')).toBe(1);
    expect(at('2027-11-30T18:30:00Z')).toBe(0);
  });
});

describe('the next opening', () => {
  const weekdays = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' }];
  it('is now while open, the opening time before it, the next open day after closing', () => {
    expect(nextOpenAt(new Date('2027-03-12T16:00:00Z'), CHICAGO, weekdays).toISOString()).toBe('2027-03-12T16:00:00.000Z'); // Friday 10:00 CST
    expect(nextOpenAt(new Date('2027-03-12T12:00:00Z'), CHICAGO, weekdays).toISOString()).toBe('2027-03-12T15:00:00.000Z'); // 06:00 → 09:00 CST
    // Friday 18:00 CST → Monday 09:00, which is CDT after the weekend's change.
    expect(nextOpenAt(new Date('2027-03-13T00:00:00Z'), CHICAGO, weekdays).toISOString()).toBe('2027-03-15T14:00:00.000Z');
  });
  it('is the instant itself without opening hours', () => {
    expect(nextOpenAt(new Date('2027-03-13T00:00:00Z'), CHICAGO, undefined).toISOString()).toBe('2027-03-13T00:00:00.000Z');
  });
});
