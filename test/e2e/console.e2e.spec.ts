/// <reference lib="dom" />
// page.evaluate callbacks run in the browser, on its DOM.
import { readFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChronoUnit, LocalDate } from '@js-joda/core';
import { parse } from 'csv-parse/sync';
import type { Locator, Page } from 'playwright-core';
import { ApiProcess } from '../support/api-process';
import { Browser, freePort, launchBrowser } from '../support/browser';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';

/**
 * The web console (apps/console) as staff use it: Debian's chromium, driven by playwright-core,
 * against the real API process on a temporary store. Everything the console shows or does goes
 * through the public HTTP API, so the API's rules, roles and scopes are what the user meets.
 *
 * The pair is registered on 12 October 2026 (the API's decision clock moved back to that day, as
 * the programme e2e does), so their content started on 1 September 2026; the API then comes back on
 * the real clock, on the same port, and the rest is done with dates in the autumn of 2026.
 *
 * Screenshots of the main pages are taken on the way; `CONSOLE_SCREENSHOTS_DIR=docs/console` keeps
 * them (npm run screenshots:console), otherwise they go to a temporary directory.
 */
describe('Web console in a browser', () => {
  jest.setTimeout(60_000);
  const SCHOOL = '100001';
  const COHORT = 2026;
  const REGISTERED_ON = LocalDate.of(2026, 10, 12);
  const today = londonToday();
  const keys: Record<'lead' | 'tutor' | 'dpl' | 'system' | 'reporting', string> = { lead: '', tutor: '', dpl: '', system: '', reporting: '' };
  const ids = { ect: '', mentor: '', unmatchedEct: '' };
  const screenshots = process.env.CONSOLE_SCREENSHOTS_DIR ? resolve(process.env.CONSOLE_SCREENSHOTS_DIR) : mkdtempSync(join(tmpdir(), 'ecf-console-shots-'));
  const problems: string[] = [];
  let port: number;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    port = await freePort();
    api = await ApiProcess.start({ PORT: String(port), DECISION_CLOCK_OFFSET_DAYS: String(ChronoUnit.DAYS.between(today, REGISTERED_ON)) });
    http = httpClient(api.baseUrl);
    // Named as people would name them: the names show in the console's header and screenshots.
    const createKey = async (role: string, name: string, ...options: string[]) =>
      (JSON.parse(await api.cli('keys', 'create', '--role', role, '--name', name, '--json', ...options)) as { token: string }).token;
    keys.lead = await createKey('ecf-lead', 'Lee Lead', '--delivery-partner', 'dp-north');
    keys.tutor = await createKey('induction-tutor', 'Tariq Tutor', '--school', SCHOOL);
    keys.dpl = await createKey('dpl', 'Dana DPL');
    keys.system = await createKey('system', 'DfE and Steplab integration');
    keys.reporting = await createKey('reporting', 'Payments job');
    const school = await http('POST', '/schools', { key: keys.lead, body: { urn: SCHOOL, name: 'Oakfield Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } });
    expect(school.status).toBe(201);
    mkdirSync(screenshots, { recursive: true });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    // Script errors and refused resources (a CSP violation is a console error) fail the last test.
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // The API's refusals the test provokes on purpose (wrong key, bad field, stale revision, a rule) are logged by the browser too.
      if (message.type() === 'error' && !/status of (400|401|412|422) /.test(message.text())) problems.push(`console: ${message.text()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    if (!process.env.CONSOLE_SCREENSHOTS_DIR) rmSync(screenshots, { recursive: true, force: true });
  });

  // ---- helpers: what a person looks at ------------------------------------------------------

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  /** A participant's page (the command pages' headings start with the action instead). */
  const participantHeading = (name: string) => heading(new RegExp(`^${name}`));
  /** Goes to a console route and waits until that route's page, not the previous one, is shown. */
  const open = async (route: string, title: string | RegExp) => {
    const url = `${api.baseUrl}/console/#${route}`;
    await page.evaluate(() => document.querySelector('#main > *')?.setAttribute('data-previous', '')).catch(() => undefined);
    if (page.url() === url) await page.reload();
    else await page.goto(url);
    await page.locator('#main > :not([data-previous]):not(.loading)').first().waitFor();
    await heading(title).waitFor();
  };
  const textOf = async (locator: Locator) => {
    await locator.first().waitFor();
    return (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
  };
  const shoot = async (name: string, target: Page | Locator = page) => {
    const path = join(screenshots, `${name}.png`);
    if ('goto' in target) await target.screenshot({ path, fullPage: true });
    else await target.screenshot({ path });
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(path).size).toBeGreaterThan(10_000);
  };
  /** Form controls on the page that no label names (there should be none). */
  const unlabelled = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('main input, main select, main textarea'))
        .filter((control) => (control.labels?.length ?? 0) === 0)
        .map((control) => control.outerHTML),
    );
  const participantIdFromUrl = () => /#\/participants\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
  const statusTag = () => textOf(page.locator('h1 .tag'));
  const releaseState = (code: string) => textOf(page.locator(`.timeline-item[data-code="${code}"] .tag`));
  const signIn = async (key: string) => {
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in to the ECF back office').waitFor();
  };
  const openCommand = async (participantId: string, action: string) => {
    await open(`/participants/${participantId}`, /./);
    await page.getByRole('group', { name: 'Actions' }).getByRole('link', { name: action, exact: true }).click();
    await heading(new RegExp(`^${action}:`)).waitFor();
  };
  /** The description beside a term of the details list. */
  const detail = (term: string) => textOf(page.locator('.summary-row', { has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd'));
  const flash = () => textOf(page.locator('.notice-success'));
  const participant = async (id: string) => (await http<{ status: string; revision: number }>('GET', `/participants/${id}`, { key: keys.dpl })).body;

  async function register(kind: 'ect' | 'mentor', first: string, last: string, trn: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Register' }).click();
    await heading('Register a participant').waitFor();
    await page.getByLabel('Who are you registering?').selectOption(kind);
    await page.getByLabel('First name').fill(first);
    await page.getByLabel('Last name').fill(last);
    await page.getByLabel('Date of birth').fill(kind === 'ect' ? '1998-04-12' : '1985-09-30');
    await page.getByLabel('Teacher reference number (TRN)').fill(trn);
    await page.getByLabel('Email address').fill(`${first.toLowerCase()}@example.org`);
    await page.getByLabel('School URN').fill(SCHOOL);
    await page.getByLabel('Cohort').fill(String(COHORT));
    await page.getByRole('button', { name: 'Register' }).click();
  }

  // ---- the journey ------------------------------------------------------------------------------

  it('signs in with an API key kept in sessionStorage only, by keyboard; a key the API refuses is explained beside the field', async () => {
    await page.goto(`${api.baseUrl}/console/`);
    await heading('Sign in to the ECF back office').waitFor();
    const keyHint = page.locator('#sign-in-apiKey-hint');
    expect(await textOf(keyHint)).toContain('created for you with ecf keys create.');
    expect(await textOf(keyHint)).not.toContain('`');
    expect(await textOf(keyHint.locator('code'))).toBe('ecf keys create');
    await shoot('sign-in');

    // Keyboard only: the skip link comes first, then the key field, whose focus is clearly drawn; Enter submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-in-apiKey');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outline)).toBe('rgb(255, 221, 0) solid 3px');
    await page.keyboard.type(`ecf_0000000000000000_${'x'.repeat(43)}`);
    await page.keyboard.press('Enter');
    const keyError = page.locator('#sign-in-apiKey-error');
    expect(await textOf(keyError)).toContain('This key was not accepted');
    const keyInput = page.getByLabel('API key');
    expect(await keyInput.getAttribute('aria-invalid')).toBe('true');
    expect(await keyInput.getAttribute('aria-describedby')).toContain('sign-in-apiKey-error');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await signIn(keys.lead);
    await heading('Participants').waitFor();
    expect(await textOf(page.locator('#who'))).toContain('ECF Lead · delivery partner dp-north');
    const storage = await page.evaluate(() => ({ session: Object.values(sessionStorage), local: localStorage.length, cookie: document.cookie }));
    expect(storage).toEqual({ session: [keys.lead], local: 0, cookie: '' });
    expect(await browser.context.cookies()).toEqual([]);
    const menu = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    expect(menu).toEqual(['Participants', 'Register', 'Schools', 'Payment report', 'Alerts']);
  });

  it('registers an ECT and a mentor; the API’s field error appears beside its field and nothing is written', async () => {
    await register('ect', 'Amira', 'Khan', '123');
    const trnError = page.locator('#register-trn-error');
    expect(await textOf(trnError)).toBe('Error: trn must be exactly 7 digits');
    expect(await page.getByLabel('Teacher reference number (TRN)').getAttribute('aria-describedby')).toContain('register-trn-error');
    expect(await textOf(page.locator('.error-summary'))).toContain('There is a problem');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await shoot('field-error');
    expect(await unlabelled()).toEqual([]);
    expect((await http<{ items: unknown[] }>('GET', '/participants?trn=1234567', { key: keys.dpl })).body.items).toEqual([]);

    await page.getByLabel('Teacher reference number (TRN)').fill('1234567');
    await page.getByRole('button', { name: 'Register' }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await flash()).toContain('Registered');
    expect(await statusTag()).toBe('Awaiting validation');
    ids.ect = participantIdFromUrl();

    await register('mentor', 'Maya', 'Jones', '7654321');
    await participantHeading('Maya Jones').waitFor();
    ids.mentor = participantIdFromUrl();
    expect(ids.mentor).not.toBe(ids.ect);

    // DfE's validation, the ECT's Steplab access and an engagement arrive from integrations (the system role), not the console.
    for (const id of [ids.ect, ids.mentor]) expect((await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated' } })).status).toBe(200);
    expect((await http('POST', `/participants/${ids.ect}/steplab-access-form`, { key: keys.system, body: {} })).status).toBe(200);
    expect((await http('POST', `/participants/${ids.ect}/steplab-access`, { key: keys.system, body: {} })).status).toBe(200);
  });

  it('matches the ECT with the mentor from a list of the school’s mentors', async () => {
    await openCommand(ids.ect, 'Match a mentor');
    await page.getByLabel('Mentor', { exact: true }).selectOption({ label: 'Maya Jones (mentor, TRN 7654321)' });
    await page.getByRole('button', { name: 'Match mentor' }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await flash()).toBe('Mentor matched.');
    expect(await detail('Mentor')).toBe('Maya Jones');
  });

  it('pauses and resumes the ECT; the release schedule shows released, held and released at resume, and “as of” replays the page', async () => {
    // From here on the API runs on the real clock, on the same origin, so the browser's session carries on.
    api = await api.restart({ PORT: String(port) });
    await page.reload();
    await participantHeading('Amira Khan').waitFor();
    expect((await http('POST', `/participants/${ids.ect}/engagements`, { key: keys.system, body: { kind: 'coaching-session', occurredOn: '2026-10-14' } })).status).toBe(200);

    await openCommand(ids.ect, 'Pause');
    expect(await textOf(page.locator('main'))).toContain('under 6 weeks');
    // Either form, whatever the browser's locale; the day typed is read back in words beside the field.
    await page.getByLabel('First day of the absence').fill('19 October 2026');
    expect(await textOf(page.locator('#command-pause-startDate-echo'))).toBe('19 October 2026');
    await page.getByLabel('Expected return').fill('2026-11-23');
    expect(await textOf(page.locator('#command-pause-expectedResumeDate-echo'))).toBe('23 November 2026');
    await page.getByLabel('Reason').fill('Short illness');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await statusTag()).toBe('Paused');
    expect(await releaseState('ect-y1-m04')).toBe('Held');

    await openCommand(ids.ect, 'Resume');
    await page.getByLabel('Resume date').fill('2026-11-16');
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await statusTag()).toBe('Active');
    expect(await releaseState('ect-y1-m01')).toBe('Released');
    expect(await releaseState('ect-y1-m04')).toBe('Released at resume');
    expect(await textOf(page.locator('.timeline-item[data-code="ect-y1-m04"] .timeline-note'))).toContain('planned 10 November 2026, released 16 November 2026 when the pause ended');
    expect(await textOf(page.locator('#payment-eligibility tr', { hasText: 'Started' }))).toContain('Eligible');
    expect(await textOf(page.locator('#steplab'))).toContain('Met');
    await shoot('participant');
    expect(await unlabelled()).toEqual([]);

    await page.getByLabel('Show as of').fill('2026-11-12');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText('Shown as of 12 November 2026').waitFor();
    expect(await statusTag()).toBe('Paused');
    expect(await releaseState('ect-y1-m04')).toBe('Held');
    expect(await page.getByRole('group', { name: 'Actions' }).count()).toBe(0);
    expect(await page.locator('.history-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-type')))).not.toContain('ECTResumed');
    await page.getByRole('link', { name: 'Back to today' }).click();
    await page.getByRole('group', { name: 'Actions' }).waitFor();
    expect(await statusTag()).toBe('Active');
  });

  it('defers the ECT after showing that the mentor will be deferred with them; the mentor follows', async () => {
    await openCommand(ids.ect, 'Defer');
    await page.getByLabel('Deferral date').fill('2026-11-18');
    await page.getByLabel('Expected return date').fill('2027-05-18');
    await page.getByLabel('Reason (DfE deferral reason)').selectOption('parental-leave');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Check before you confirm' }).waitFor();
    expect(await textOf(page.locator('[data-preview="events"]'))).toContain('Deferred from 18 November 2026, expected back 18 May 2027 (Parental leave)');
    expect(await textOf(page.locator('[data-preview="cascades"]'))).toBe('Maya Jones (mentor) — also deferred from 18 November 2026, expected back 18 May 2027 (Parental leave), following this change.');
    await shoot('defer-preview');
    expect(await unlabelled()).toEqual([]);
    expect((await participant(ids.ect)).status).toBe('active');

    await page.getByRole('button', { name: 'Confirm deferral' }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await statusTag()).toBe('Deferred');
    await eventually(() => participant(ids.mentor), (mentor) => mentor.status === 'deferred');
    await open(`/participants/${ids.mentor}`, /^Maya Jones/);
    expect(await statusTag()).toBe('Deferred');
    expect(await detail('Deferred')).toContain('followed their ECT Amira Khan');
  });

  it('tells the user when someone else changed the participant (412) and offers a reload', async () => {
    await openCommand(ids.ect, 'Change return date');
    const seen = (await participant(ids.ect)).revision;
    expect(await textOf(page.locator('[data-revision]'))).toBe(String(seen));
    // Meanwhile a DPL changes the return date through the API.
    expect((await http('PATCH', `/participants/${ids.ect}/deferral`, { key: keys.dpl, body: { expectedReturnDate: '2027-06-01' } })).status).toBe(200);

    await page.getByLabel('New expected return date').fill('2027-04-30');
    await page.getByRole('button', { name: 'Continue' }).click();
    const stale = page.getByRole('alert').filter({ hasText: 'Someone else changed this participant' });
    expect(await textOf(stale)).toContain(`now at revision ${seen + 1}`);
    await shoot('stale-revision');
    await page.getByRole('button', { name: 'Reload participant' }).click();
    await page.locator(`[data-revision="${seen + 1}"]`).waitFor();
    expect(await stale.isVisible()).toBe(false);
    expect(await page.getByLabel('New expected return date').inputValue()).toBe('2027-04-30');

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Confirm new return date' }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await detail('Deferred')).toContain('expected back 30 April 2027');
  });

  it('withdraws the ECT: the date rule is explained and enforced beside the field, and the mentor cascade is shown first', async () => {
    await openCommand(ids.ect, 'Withdraw');
    expect(await textOf(page.locator('main'))).toContain('never in the future');
    expect(await textOf(page.locator('#command-withdraw-withdrawalDate-hint'))).toContain('For example 2026-12-02 or 2 December 2026.');
    await page.getByLabel('Withdrawal date').fill(isoDate(today.plusDays(2)));
    await page.getByLabel('Reason (DfE withdrawal reason)').selectOption('moved-school');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await textOf(page.locator('[id$="-withdrawalDate-error"]'))).toBe(`Error: Must be on or before ${isoDate(today)}.`);

    await page.getByLabel('Withdrawal date').fill('2026-11-20');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Check before you confirm' }).waitFor();
    expect(await textOf(page.locator('[data-preview="cascades"]'))).toContain('Maya Jones (mentor) — also withdrawn from 20 November 2026 (Mentor no longer being mentor)');
    await page.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await statusTag()).toBe('Withdrawn');
    expect(await textOf(page.locator('#steplab .tag').first())).toBe('Revoked');
    await eventually(() => participant(ids.mentor), (mentor) => mentor.status === 'withdrawn');
  });

  it('reads the history one line per event — when, what, who, why — with the details folded under each, filters it, and downloads it', async () => {
    await open(`/participants/${ids.ect}`, /^Amira Khan/);
    const items = page.locator('.history-item');
    const types = await items.evaluateAll((elements) => elements.map((item) => item.getAttribute('data-type')));
    expect(types).toEqual(
      expect.arrayContaining(['ECTRegistered', 'DataValidationPassed', 'MentorMatched', 'ECTPaused', 'ECTResumed', 'ParticipantDeferred', 'DeferralReturnDateUpdated', 'ParticipantWithdrawn', 'SteplabAccessRevoked']),
    );
    expect(types.indexOf('ECTPaused')).toBeLessThan(types.indexOf('ECTResumed'));
    // Compact: every event is one line until opened.
    const heights = await items.evaluateAll((elements) => elements.map((item) => item.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(60);

    const paused = page.locator('.history-item[data-type="ECTPaused"]');
    expect(await textOf(paused.locator('summary'))).toBe('19 October 2026 Paused ECF Lead (you) Short illness');
    expect(await paused.locator('.history-facts').isVisible()).toBe(false);
    await paused.locator('summary').click();
    const facts = await textOf(paused.locator('.history-facts'));
    expect(facts).toContain('Effective 19 October 2026');
    expect(facts).toMatch(/Recorded \d{1,2} \w{3} \d{4}, \d\d:\d\d/);
    expect(facts).toContain('Why Short illness');
    expect(facts).toMatch(/By ECF Lead \(key [0-9a-f]{16}\), you/);
    const byDpl = await textOf(page.locator('.history-item[data-type="DeferralReturnDateUpdated"] summary').first());
    expect(byDpl).toContain('Expected return date changed DPL');
    expect(byDpl).not.toContain('(you)');
    await shoot('history', page.locator('#history'));

    const shownTypes = () => items.evaluateAll((elements) => elements.filter((item) => !(item as HTMLElement).hidden).map((item) => item.getAttribute('data-type')));
    await page.getByLabel('Event type').selectOption('ECTPaused');
    expect(await shownTypes()).toEqual(['ECTPaused']);
    expect(await textOf(page.locator('.history-count'))).toBe(`1 of ${types.length} events shown`);
    await page.getByLabel('Event type').selectOption('');
    await page.getByLabel('Containing').fill('parental');
    expect(await shownTypes()).toContain('ParticipantDeferred');
    expect(await shownTypes()).not.toContain('ECTPaused');
    expect(await unlabelled()).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download history (CSV)' }).click();
    const csv = parse(readFileSync(await (await download).path(), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csv.map((row) => row.type)).toEqual(types);

    await open(`/participants/${ids.mentor}`, /^Maya Jones/);
    const cascaded = page.locator('.history-item[data-type="ParticipantWithdrawn"]');
    expect(await textOf(cascaded.locator('summary'))).toContain('Withdrawn Cascade Mentor cascade policy');
    await cascaded.locator('summary').click();
    const cause = await textOf(cascaded.locator('.history-facts'));
    expect(cause).toContain('By Mentor cascade policy (automatic)');
    expect(cause).toMatch(/Caused by their ECT Amira Khan: “Withdrawn”, recorded/);
  });

  it('shows the payment eligibility report on screen and downloads the same rows as CSV', async () => {
    await open('/reports', 'Payment eligibility report');
    await page.getByLabel('Payment window').selectOption('started');
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.waitForURL(/window=started/);
    await page.locator('table.table tbody tr').first().waitFor();
    const api = (await http<{ items: { participantId: string; declarationType: string; eligible: boolean; reason: string; declarationDate: string | null }[] }>(
      'GET', '/reports/payment-eligibility?window=started', { key: keys.lead },
    )).body.items;
    expect(api.map((item) => item.participantId).sort()).toEqual([ids.ect, ids.mentor].sort());
    expect(await page.locator('table.table tbody tr').count()).toBe(api.length);
    // Names beside ids for a role that sees personal data; open-ended windows in plain words.
    const amira = await textOf(page.locator('table.table tbody tr', { hasText: 'Amira Khan' }));
    expect(amira).toContain(`Amira Khan ${ids.ect.slice(0, 8)}`);
    expect(amira).toContain('Northern Teaching Partnership');
    expect(amira).toContain('from 1 July 2026');
    expect(amira).not.toContain('no deadline');
    expect(await unlabelled()).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^payment-eligibility-started-\d{4}-\d\d-\d\d\.csv$/);
    const rows = parse(readFileSync(await file.path(), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([
      'participantId', 'participantType', 'schoolUrn', 'cohort', 'deliveryPartnerId', 'declarationType', 'windowStart', 'windowEnd', 'paymentDate',
      'eligible', 'reason', 'state', 'declarationDate', 'courseIdentifier', 'evidenceHeld', 'firstName', 'lastName',
    ]);
    expect(rows.map(({ participantId, declarationType, eligible, reason, declarationDate }) => ({ participantId, declarationType, eligible, reason, declarationDate }))).toEqual(
      api.map((item) => ({ participantId: item.participantId, declarationType: 'started', eligible: String(item.eligible), reason: item.reason, declarationDate: item.declarationDate ?? '' })),
    );
    expect(rows.find((row) => row.participantId === ids.ect)).toMatchObject({ eligible: 'true', reason: 'engaged', declarationDate: '2026-10-14', schoolUrn: SCHOOL, deliveryPartnerId: 'dp-north', firstName: 'Amira', lastName: 'Khan' });

    // Every window of a participant, as the programme runs them, not alphabetically.
    await open('/reports', 'Payment eligibility report');
    await page.locator('table.table tbody tr').first().waitFor();
    const windows = await page.locator('table.table tbody tr', { hasText: 'Amira Khan' }).evaluateAll((rows) => rows.map((row) => row.querySelectorAll('td')[4]?.textContent));
    expect(windows).toEqual(['Started', 'Retained 1', 'Retained 2', 'Retained 3', 'Retained 4', 'Completed']);
    await shoot('report');
  });

  it('shows a school’s coaching relationships with what blocks them, and the alerts', async () => {
    const registered = await http<{ participantId: string }>('POST', '/ects', {
      key: keys.tutor,
      body: { firstName: 'Noor', lastName: 'Ali', dateOfBirth: '1997-02-03', trn: '2345678', email: 'noor@example.org', schoolUrn: SCHOOL, cohort: COHORT },
    });
    expect(registered.status).toBe(201);
    ids.unmatchedEct = registered.body.participantId;
    expect((await http('POST', `/participants/${ids.unmatchedEct}/validation`, { key: keys.system, body: { outcome: 'validated' } })).status).toBe(200);
    await eventually(() => http<{ items: unknown[] }>('GET', `/alerts?kind=ect-without-mentor`, { key: keys.lead }), (response) => response.body.items.length > 0);

    await open(`/schools/${SCHOOL}?cohort=${COHORT}`, `School ${SCHOOL}`);
    const noor = await textOf(page.locator('#coaching-title ~ table tr', { hasText: 'Noor Ali' }));
    expect(noor).toContain('Not visible');
    expect(noor).toContain('No mentor matched');
    expect(await textOf(page.locator('section', { hasText: 'Alerts for this school' }))).toContain('ECT without a mentor');
    await shoot('school');

    await open('/alerts', 'Alerts');
    expect(await textOf(page.getByRole('list', { name: 'Alerts by kind' }))).toContain('ECT without a mentor');
    expect(await textOf(page.locator('table.table tr', { hasText: 'Noor Ali' }))).toContain('The ECT has no mentor');
    await shoot('alerts');
    expect(await unlabelled()).toEqual([]);
    await open('/participants', 'Participants');
    await shoot('participants');
  });

  it('amends a release schedule: the API’s rule (name the DPL who agreed) appears beside its field', async () => {
    await open(`/participants/${ids.unmatchedEct}`, /^Noor Ali/);
    expect(await detail('Content starts')).not.toContain('30 November 2026');
    await openCommand(ids.unmatchedEct, 'Amend schedule');
    await page.getByLabel('New content start date').fill('2026-11-30');
    await page.getByLabel('Reason').fill('Ready to start before January');
    await page.getByRole('button', { name: 'Amend schedule' }).click();
    expect(await textOf(page.locator('[id$="-agreedWithDpl-error"]'))).toBe('Error: Name the DPL who agreed the change.');
    expect(await textOf(page.locator('.error-summary'))).toContain('What to do: Discuss it with your DPL and name them in agreedWithDpl.');
    await page.getByLabel('DPL who agreed the change').fill('Dana DPL');
    await page.getByRole('button', { name: 'Amend schedule' }).click();
    await participantHeading('Noor Ali').waitFor();
    expect(await detail('Content starts')).toContain('30 November 2026');
  });

  it('asks for the withdrawal to be reversed; only a DPL sees and uses Reinstate', async () => {
    await openCommand(ids.ect, 'Request reversal');
    await page.getByLabel('Why the withdrawal should be reversed').fill('Withdrawn in error: she stays at the school');
    await page.getByRole('button', { name: 'Send request' }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await detail('Withdrawn')).toContain('reversal requested from the DPL');
    expect(await page.getByRole('group', { name: 'Actions' }).count()).toBe(0);

    await signOut();
    await signIn(keys.dpl);
    await heading('Participants').waitFor();
    await openCommand(ids.ect, 'Reinstate');
    await page.getByRole('button', { name: 'Reinstate' }).click();
    await participantHeading('Amira Khan').waitFor();
    expect(await statusTag()).toBe('Active');
    expect(await textOf(page.locator('#steplab .tag').first())).toBe('Reinstated, access pending');
  });

  it('shows a name that is HTML as the text it is: no element made of it, no script run', async () => {
    const name = '<img src=x onerror=alert(1)>';
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const registered = await http<{ participantId: string }>('POST', '/ects', {
      key: keys.lead,
      body: { firstName: name, lastName: 'Tester', dateOfBirth: '1996-05-06', trn: '3456789', email: 'tester@example.org', schoolUrn: SCHOOL, cohort: COHORT },
    });
    expect(registered.status).toBe(201);
    await open(`/participants/${registered.body.participantId}`, /Tester/);
    expect(await textOf(page.locator('h1'))).toContain(`${name} Tester`);
    await eventually(() => http<{ items: unknown[] }>('GET', '/participants?trn=3456789', { key: keys.dpl }), (response) => response.body.items.length === 1);
    await open('/participants', 'Participants');
    expect(await textOf(page.locator('table.table tr', { hasText: 'Tester' }))).toContain(`${name} Tester`);
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('says why no mentor follows a deferral (the mentor has another active ECT), and offers delivery partners from a list', async () => {
    const registerValidated = async (path: string, firstName: string, lastName: string, trn: string) => {
      const response = await http<{ participantId: string }>('POST', path, {
        key: keys.lead,
        body: { firstName, lastName, dateOfBirth: '1990-01-15', trn, email: `${firstName.toLowerCase()}@example.org`, schoolUrn: SCHOOL, cohort: COHORT },
      });
      expect(response.status).toBe(201);
      expect((await http('POST', `/participants/${response.body.participantId}/validation`, { key: keys.system, body: { outcome: 'validated' } })).status).toBe(200);
      return response.body.participantId;
    };
    const mentor = await registerValidated('/mentors', 'Omar', 'Reid', '4567890');
    const [priya, leo] = [await registerValidated('/ects', 'Priya', 'Shah', '5678901'), await registerValidated('/ects', 'Leo', 'Grant', '6789012')];
    for (const ect of [priya, leo]) expect((await http('PUT', `/ects/${ect}/mentor`, { key: keys.lead, body: { mentorId: mentor } })).status).toBe(200);

    await openCommand(priya, 'Defer');
    await page.getByLabel('Deferral date').fill(isoDate(today));
    await page.getByLabel('Expected return date').fill(isoDate(today.plusMonths(6)));
    await page.getByLabel('Reason (DfE deferral reason)').selectOption('long-term-sickness');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Check before you confirm' }).waitFor();
    expect(await textOf(page.locator('[data-preview="cascades"]'))).toBe('No one else: Omar Reid mentors another active ECT, so stays on the programme.');
    await shoot('defer-preview-no-cascade');

    await open('/reports', 'Payment eligibility report');
    await page.getByLabel('Delivery partner').selectOption({ label: 'Northern Teaching Partnership (dp-north)' });
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.waitForURL(/deliveryPartner=dp-north/);
    await page.locator('table.table tbody tr').first().waitFor();
    expect(await unlabelled()).toEqual([]);
  });

  it('hides the commands a role cannot issue: an induction tutor sees pause but not defer or withdraw; reporting sees no names', async () => {
    await signOut();
    await signIn(keys.tutor);
    await heading('Participants').waitFor();
    const menu = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    expect(menu).toEqual(['Participants', 'Register', 'Schools', 'Alerts']);

    await page.getByLabel('Name').fill('noor');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Noor Ali' }).click();
    await participantHeading('Noor Ali').waitFor();
    const actions = await page.getByRole('group', { name: 'Actions' }).getByRole('link').allInnerTexts();
    expect(actions).toEqual(['Match a mentor', 'Pause']);
    await open(`/participants/${ids.unmatchedEct}/withdraw`, 'Not available');
    await open('/reports', 'Not available to your role');

    await signOut();
    await signIn(keys.reporting);
    await heading('Participants').waitFor();
    expect(await page.getByLabel('Name').count()).toBe(0);
    expect(await textOf(page.locator('table.table'))).toContain('TRN 2345678');
    expect(await textOf(page.locator('table.table'))).not.toContain('Noor');
    await page.getByRole('link', { name: 'TRN 2345678' }).click();
    await heading('TRN 2345678').waitFor();
    expect(await page.getByRole('group', { name: 'Actions' }).count()).toBe(0);
  });

  it('ran without script errors or refused resources (Content-Security-Policy) in the browser', () => {
    expect(problems).toEqual([]);
  });
});
