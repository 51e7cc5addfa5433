/**
 * EventBridge Scheduler's expression syntax, as the User Guide ("Schedule types") documents it, so the fake rejects
 * what the service rejects. Returns a reason when the expression is invalid.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  if (expression.startsWith('at(')) return atProblem(expression);
  if (expression.startsWith('rate(')) return rateProblem(expression);
  if (expression.startsWith('cron(')) return cronProblem(expression);
  return 'the expression must be at(), rate() or cron()';
}

function atProblem(expression: string): string | undefined {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!match) return 'at() takes yyyy-mm-ddThh:mm:ss';
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips = date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return roundTrips ? undefined : 'at() names a date and time that does not exist';
}

function rateProblem(expression: string): string | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return 'rate() takes "value unit" with unit minute(s), hour(s) or day(s)';
  const value = Number(match[1]);
  if (value < 1) return 'rate() needs a positive value';
  const plural = match[2]!.endsWith('s');
  if (plural !== value > 1) return 'rate() needs a singular unit for 1 and a plural unit otherwise';
  return undefined;
}

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
  steps: boolean;
  question: boolean;
  special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Wildcards per field: minutes/hours/month/year `, - * /`, day-of-month adds `? L W`, day-of-week `, - * ? L #` (no `/`). */
const CRON_FIELDS: FieldRule[] = [
  { name: 'minutes', min: 0, max: 59, steps: true, question: false },
  { name: 'hours', min: 0, max: 23, steps: true, question: false },
  { name: 'day-of-month', min: 1, max: 31, steps: true, question: true, special: /^(L|LW|L-\d{1,2}|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, steps: true, question: false },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: WEEKDAYS,
    steps: false,
    question: true,
    special: /^(L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/,
  },
  { name: 'year', min: 1970, max: 2199, steps: true, question: false },
];

function cronProblem(expression: string): string | undefined {
  const match = /^cron\((.*)\)$/.exec(expression);
  const fields = match ? match[1]!.trim().split(/\s+/) : [];
  if (fields.length !== 6) return 'cron() takes six fields: minutes hours day-of-month month day-of-week year';
  for (const [index, rule] of CRON_FIELDS.entries()) {
    const problem = fieldProblem(fields[index]!, rule);
    if (problem) return `${rule.name} ${problem}`;
  }
  const questions = [fields[2], fields[4]].filter((field) => field === '?').length;
  if (questions !== 1) return 'exactly one of day-of-month and day-of-week must be "?"';
  return undefined;
}

function fieldProblem(field: string, rule: FieldRule): string | undefined {
  if (field === '?') return rule.question ? undefined : 'does not accept "?"';
  for (const item of field.split(',')) {
    if (rule.special?.test(item)) continue;
    const [range, step, ...extra] = item.split('/');
    if (extra.length > 0 || (step !== undefined && (!rule.steps || !/^\d+$/.test(step) || Number(step) < 1))) {
      return `has an invalid step in "${item}"`;
    }
    if (range === '*') continue;
    const bounds = range!.split('-');
    if (bounds.length > 2 || bounds.some((bound) => !validValue(bound, rule))) return `has an invalid value in "${item}"`;
  }
  return undefined;
}

function validValue(value: string, rule: FieldRule): boolean {
  if (rule.names?.includes(value)) return true;
  if (!/^\d+$/.test(value)) return false;
  const number = Number(value);
  return number >= rule.min && number <= rule.max;
}
