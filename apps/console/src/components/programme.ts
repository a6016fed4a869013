import { formatWindow } from '../dates.js';
import { h, summaryList, summaryRow, table, tag } from '../dom.js';
import { colourOf, formatDate, formatInstant, label } from '../format.js';
import { PaymentEligibility, SteplabAccess } from '../model.js';

/** Each payment window (milestone) of the participant's schedule: eligible, or why not. */
export function paymentTable(eligibility: PaymentEligibility): Node {
  if (eligibility.milestones.length === 0) return h('p', { class: 'empty' }, 'No payment schedule applies.');
  return table(
    `Payment eligibility on ${formatDate(eligibility.asOf)}`,
    ['Milestone', 'Window', 'Payment date', 'State', 'Why', 'Declaration'],
    eligibility.milestones.map((milestone) => [
      label(milestone.declarationType),
      formatWindow(milestone.windowStart, milestone.windowEnd, formatDate),
      formatDate(milestone.paymentDate),
      tag(label(milestone.state), colourOf(milestone.state)),
      label(milestone.reason),
      milestone.declaration ? `${formatDate(milestone.declaration.declarationDate)} · ${label(milestone.declaration.evidenceHeld)}` : '—',
    ]),
  );
}

/** Steplab access and its 24-hour deadline after the access form. */
export function steplabSummary(access: SteplabAccess): Node {
  const deadline = access.accessDueBy
    ? [
        formatInstant(access.accessDueBy),
        ' (24 hours after the form) ',
        access.breached ? tag('Deadline missed', 'red') : access.grantedAt ? tag('Met', 'green') : tag('Open', 'yellow'),
      ]
    : ['—'];
  return summaryList(
    summaryRow('State', tag(label(access.state), colourOf(access.state))),
    summaryRow('Access form submitted', formatInstant(access.formSubmittedAt)),
    summaryRow('Access due by', ...deadline),
    summaryRow('Access granted', formatInstant(access.grantedAt)),
    access.revokedOn ? summaryRow('Revoked on', formatDate(access.revokedOn)) : null,
    access.reinstatedOn ? summaryRow('Reinstated on', formatDate(access.reinstatedOn)) : null,
  );
}
