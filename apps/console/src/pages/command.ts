import { ApiError, idempotencyKeys, readModelsCaughtUp } from '../api.js';
import { COMMANDS, CommandSpec, describeChange, explanationOf } from '../commands.js';
import { PageContext } from '../context.js';
import { button, h, link, replaceChildren, tag } from '../dom.js';
import { bodyOf, Form, FormValues } from '../forms.js';
import { colourOf, label } from '../format.js';
import { CommandResult, displayName, Participant } from '../model.js';
import type { Session } from '../session.js';

/**
 * A command as a form. It is sent with If-Match (the revision the user is looking at), so a change
 * by someone else in the meantime is refused (412) and offered for reload, and with one
 * Idempotency-Key per intended command, so a retry or a confirmation after a preview writes once.
 * Commands that cascade are previewed first (?dryRun=true): the user sees who else changes.
 */
export async function commandPage(context: PageContext, participantId: string, commandId: string): Promise<Node> {
  const { session, catalogue } = context;
  const spec = COMMANDS.find((candidate) => candidate.id === commandId);
  let participant = await session.api.get<Participant>(`/participants/${participantId}`);
  const permission = spec?.permission(participant) ?? null;
  const back = link(`/participants/${participantId}`, `Back to ${displayName(participant)}`);
  if (!spec || permission === null || !session.may(permission)) {
    return h('div', null, h('h1', { class: 'heading-l' }, 'Not available'), h('p', null, `Your role cannot do this for this participant.`), h('p', null, back));
  }
  const route = catalogue.route(permission, { id: participantId });
  const fields = await spec.fields({ participant, session, catalogue, permission });
  const keyFor = idempotencyKeys();

  const subject = h('div', { class: 'subject' });
  const showSubject = () =>
    replaceChildren(
      subject,
      h('strong', null, displayName(participant)),
      ` · ${label(participant.type)} · `,
      tag(label(participant.status), colourOf(participant.status)),
      ' · revision ',
      h('span', { 'data-revision': String(participant.revision) }, String(participant.revision)),
    );
  showSubject();
  const stale = h('div', { class: 'notice notice-warning', role: 'alert', hidden: true, tabindex: '-1' });
  const preview = h('div', { class: 'preview', hidden: true, tabindex: '-1' });

  const send = (values: FormValues, dryRun: boolean) => {
    const body = bodyOf(values, fields);
    return session.api.command<CommandResult>(route.method, route.path, body, { ifMatch: participant.revision, idempotencyKey: keyFor(body), dryRun });
  };

  const reload = async () => {
    participant = await session.api.get<Participant>(`/participants/${participantId}`);
    showSubject();
    stale.hidden = true;
    form.clearErrors();
    form.element.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  };

  const rejected = (error: unknown): void => {
    if (!(error instanceof ApiError) || error.status === 401 || error.status >= 500) throw error;
    preview.hidden = true;
    form.element.hidden = false;
    if (error.status === 412) return showStale(stale, error, reload);
    form.showProblem(error.problem);
  };

  const execute = async (values: FormValues) => {
    try {
      const result = await send(values, false);
      const caughtUp = await readModelsCaughtUp(result.position);
      context.navigate(`/participants/${participantId}`, caughtUp ? spec.done : `${spec.done} Some views may take a moment to show it.`);
    } catch (error) {
      rejected(error);
    }
  };

  const form = new Form(
    `command-${spec.id}`,
    fields,
    spec.preview ? 'Continue' : spec.confirm,
    async (values) => {
      stale.hidden = true;
      if (!spec.preview) return execute(values);
      try {
        const result = await send(values, true);
        form.clearErrors();
        await showPreview(preview, session, spec, result, () => execute(values), () => {
          preview.hidden = true;
          form.element.hidden = false;
        });
        form.element.hidden = true;
      } catch (error) {
        rejected(error);
      }
    },
    { after: link(`/participants/${participantId}`, 'Cancel') },
  );

  return h(
    'div',
    { class: 'narrow' },
    h('span', { class: 'caption' }, label(permission)),
    h('h1', { class: 'heading-l' }, `${spec.action}: ${displayName(participant)}`),
    subject,
    ...explanationOf(spec),
    stale,
    form.element,
    preview,
  );
}

function showStale(stale: HTMLElement, error: ApiError, reload: () => Promise<void>): void {
  const current = error.problem.context?.currentRevision;
  replaceChildren(
    stale,
    h('h2', { class: 'heading-s' }, 'Someone else changed this participant'),
    h('p', null, `It changed after you opened this page${current ? ` (it is now at revision ${current})` : ''}, so your change was not saved. Reload to see the participant as they are now, check your details, and try again.`),
    button('Reload participant', { onclick: () => void reload() }),
  );
  stale.hidden = false;
  stale.focus();
}

async function showPreview(preview: HTMLElement, session: Session, spec: CommandSpec, result: CommandResult, confirm: () => Promise<void>, change: () => void): Promise<void> {
  const cascades = result.cascades ?? [];
  const names = await Promise.all(
    cascades.map((cascade) =>
      session.api.get<Participant>(`/participants/${String(cascade.data.participantId)}`).then(
        (other) => `${displayName(other)} (${label(other.type).toLowerCase()})`,
        () => `Participant ${String(cascade.data.participantId).slice(0, 8)}`,
      ),
    ),
  );
  const unaffected = cascades.length === 0 ? await whyNoOneElse(session, result) : 'no mentor follows this change.';
  const confirmButton = button(spec.confirm, {
    onclick: async () => {
      confirmButton.disabled = true;
      await confirm();
      confirmButton.disabled = false;
    },
  });
  replaceChildren(
    preview,
    h('h2', { class: 'heading-m' }, 'Check before you confirm'),
    h('p', null, 'Nothing has been saved yet. Confirming will record:'),
    h('ul', { class: 'list', 'data-preview': 'events' }, ...(result.events ?? []).map((event) => h('li', null, capitalise(describeChange(event))))),
    h('h3', { class: 'heading-s' }, 'Who else is affected'),
    cascades.length > 0
      ? h(
          'ul',
          { class: 'list', 'data-preview': 'cascades' },
          ...cascades.map((cascade, index) => h('li', null, h('strong', null, names[index]), ` — also ${describeChange(cascade)}, following this change.`)),
        )
      : h('p', { 'data-preview': 'cascades' }, `No one else: ${unaffected}`),
    h('div', { class: 'form-actions' }, confirmButton, button('Change details', { class: 'button button-secondary', onclick: change })),
  );
  preview.hidden = false;
  preview.focus();
}

/** The dry run's reason why no mentor follows, in words, naming the mentor where there is one. */
async function whyNoOneElse(session: Session, result: CommandResult): Promise<string> {
  const reason = result.noCascade?.reason;
  const mentorId = result.noCascade?.mentorId ?? null;
  const mentor = mentorId
    ? await session.api.get<Participant>(`/participants/${mentorId}`).then(displayName, () => 'their mentor')
    : 'their mentor';
  switch (reason) {
    case 'mentor-has-other-active-ect':
      return `${mentor} mentors another active ECT, so stays on the programme.`;
    case 'interim-mentor':
      return `${mentor} is the induction tutor standing in as interim mentor, and is never deferred or withdrawn with the ECT.`;
    case 'mentor-retained':
      return `${mentor} stays on the programme, as you chose to keep them.`;
    case 'no-mentor':
      return 'no mentor is matched with this participant.';
    case 'not-an-ect':
      return 'only an ECT’s deferral or withdrawal moves a mentor.';
    case 'mentor-not-affected':
      return `${mentor} did not follow this ECT before, so nothing changes for them.`;
    default:
      return 'no mentor follows this change.';
  }
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
