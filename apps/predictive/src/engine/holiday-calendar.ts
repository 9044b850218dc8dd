import Holidays from 'date-holidays';
import { GantryError } from '@gantry/contracts';

/** Holiday types that move demand like a day off: observances (Valentine's day…) and school days do not. */
const dayOffTypes = new Set(['public', 'bank']);

/**
 * The public and bank holidays of `country` (`US`, `DE-BY`) in `[firstYear, lastYear]` as dated events, from
 * the date-holidays package's own rules, offline. An unknown country is the caller's mistake, named as such.
 */
export function holidayEvents(
  country: string,
  firstYear: number,
  lastYear: number,
): { date: string; name: string }[] {
  const [code = '', region] = country.split('-');
  const calendar = new Holidays();
  // init accepts any code (an unknown one simply has no holidays), so the code is checked against the lists.
  const knownCountry = Object.hasOwn(calendar.getCountries(), code);
  const knownRegion = region === undefined || Object.hasOwn(calendar.getStates(code) ?? {}, region);
  if (!knownCountry || !knownRegion) {
    throw new GantryError(
      'VALIDATION_FAILED',
      `holidays.country ${country} is not a country the holiday calendar knows`,
      {
        details: {
          issues: [{ path: ['holidays', 'country'], message: `unknown country or region ${country}` }],
        },
      },
    );
  }
  if (region === undefined) calendar.init(code);
  else calendar.init(code, region);
  calendar.setLanguages('en');
  const events: { date: string; name: string }[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    for (const holiday of calendar.getHolidays(year)) {
      if (dayOffTypes.has(holiday.type)) events.push({ date: holiday.date.slice(0, 10), name: holiday.name });
    }
  }
  return events;
}
