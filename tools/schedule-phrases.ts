/** Cron weekday numbers, 0 = Sunday, under every name Hermes' _WEEKDAY_TO_CRON_DOW knows. */
const WEEKDAYS = new Map(
  Object.entries({
    ...{ sunday: '0', sun: '0', monday: '1', mon: '1', tuesday: '2', tue: '2', tues: '2' },
    ...{ wednesday: '3', wed: '3', weds: '3', thursday: '4', thu: '4', thur: '4', thurs: '4' },
    ...{ friday: '5', fri: '5', saturday: '6', sat: '6' },
  }),
);

/** Hermes' _DAYSPEC_TO_CRON_DOW: words that stand for a whole weekday field. */
const DAY_SPECS = new Map(
  Object.entries({ day: '*', daily: '*', everyday: '*', weekday: '1-5', weekdays: '1-5', weekend: '0,6', weekends: '0,6' }),
);

/**
 * Hermes' _natural_every_to_cron (cron/jobs.py): `<days> [at] <time>`, where the days are a day spec ("weekdays") or
 * weekday names joined by commas or "and", and the time is "9am", "9:30pm", "14:00", a bare hour, "noon" or
 * "midnight". Undefined when the text is no such phrase, so it is read as an interval, delay or time instead.
 */
export function naturalEveryToCron(rest: string): string | undefined {
  const tokens = rest.toLowerCase().replaceAll(',', ' ').split(/\s+/).filter((token) => token !== '');
  if (tokens.length === 0) return undefined;
  let weekdays = DAY_SPECS.get(tokens[0]!);
  let timeStart = 1;
  if (weekdays === undefined) {
    const days: string[] = [];
    timeStart = tokens.length;
    for (const [index, token] of tokens.entries()) {
      if (token === 'and') continue;
      const day = WEEKDAYS.get(token);
      if (day === undefined) {
        timeStart = index;
        break;
      }
      if (!days.includes(day)) days.push(day);
    }
    if (days.length === 0) return undefined;
    weekdays = days.join(',');
  }
  const timeTokens = tokens.slice(timeStart);
  if (timeTokens[0] === 'at') timeTokens.shift();
  if (timeTokens.length === 0) return undefined;
  const clock = clockTime(timeTokens.join(''));
  return clock && `${clock.minute} ${clock.hour} * * ${weekdays}`;
}

/** Hermes' _parse_clock_time: "9am", "9:30pm", "14:00", "7" (a 24-hour hour), "noon"/"midday", "midnight". */
function clockTime(text: string): { hour: number; minute: number } | undefined {
  if (text === 'noon' || text === 'midday') return { hour: 12, minute: 0 };
  if (text === 'midnight') return { hour: 0, minute: 0 };
  const match = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(text);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  if (match[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (match[3] === 'pm' ? 12 : 0);
  }
  return hour > 23 || minute > 59 ? undefined : { hour, minute };
}
