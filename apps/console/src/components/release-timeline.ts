import { h, tag } from '../dom.js';
import { colourOf, formatDate, label } from '../format.js';
import { ReleaseItem, ReleaseSchedule } from '../model.js';

/** How many scheduled items to show before folding the rest away. */
const UPCOMING_SHOWN = 3;

/** The module-release schedule as a timeline: released, held, released at resume, scheduled. */
export function releaseTimeline(schedule: ReleaseSchedule): Node {
  if (schedule.items.length === 0) return h('p', { class: 'empty' }, 'No release schedule: induction tutors have none.');
  const counts = new Map<string, number>();
  for (const item of schedule.items) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  const firstUpcoming = schedule.items.findIndex((item) => item.state === 'scheduled');
  const cut = firstUpcoming === -1 ? schedule.items.length : firstUpcoming + UPCOMING_SHOWN;
  const shown = schedule.items.slice(0, cut);
  const folded = schedule.items.slice(cut);
  const pause = schedule.latestPause;
  return h(
    'div',
    null,
    h(
      'p',
      null,
      `Content from ${formatDate(schedule.contentStartDate)}. `,
      [...counts].map(([state, count]) => `${count} ${label(state).toLowerCase()}`).join(', '),
      '.',
    ),
    pause
      ? h(
          'p',
          null,
          `Latest pause: ${formatDate(pause.startDate)} to ${pause.endDate ? formatDate(pause.endDate) : 'not ended yet'}`,
          pause.continueFromModule ? `; continues from ${pause.continueFromModule}, the last module opened before it.` : '.',
        )
      : null,
    h('ol', { class: 'timeline', 'aria-label': 'Release schedule' }, ...shown.map(timelineItem)),
    folded.length > 0
      ? h('details', { class: 'details' }, h('summary', null, `Show ${folded.length} later items`), h('ol', { class: 'timeline', start: cut + 1 }, ...folded.map(timelineItem)))
      : null,
  );
}

function timelineItem(item: ReleaseItem): HTMLLIElement {
  return h(
    'li',
    { class: `timeline-item timeline-${item.state}`, 'data-code': item.code },
    h('span', { class: 'timeline-date' }, formatDate(item.releaseDate ?? item.projectedReleaseDate ?? item.plannedDate)),
    h('span', { class: 'timeline-body' }, h('span', { class: 'timeline-title' }, item.title), h('span', { class: 'timeline-note' }, `${label(item.kind)} · ${note(item)}`)),
    tag(label(item.state), colourOf(item.state)),
  );
}

function note(item: ReleaseItem): string {
  const planned = `planned ${formatDate(item.plannedDate)}`;
  switch (item.state) {
    case 'released-at-resume':
      return `${planned}, released ${formatDate(item.releaseDate)} when the pause ended`;
    case 'held':
      return `${planned}, ${label(item.reason).toLowerCase()}${item.projectedReleaseDate ? `; expected ${formatDate(item.projectedReleaseDate)}` : ''}`;
    case 'not-released-withdrawn':
      return `${planned}; not released after the withdrawal`;
    case 'released':
      return item.releaseDate !== item.plannedDate ? `${planned}, released ${formatDate(item.releaseDate)}` : planned;
    default:
      return item.releaseDate ? `${planned}, due ${formatDate(item.releaseDate)}` : planned;
  }
}
