import { LocalDate } from '@js-joda/core';

/** Today in England, where the programme's dates live (the API decides "future" on the same calendar). */
export const londonToday = (): LocalDate => LocalDate.parse(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()));

export const isoDate = (date: LocalDate): string => date.toString();
