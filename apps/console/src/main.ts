import { ApiError } from './api.js';
import { Catalogue } from './catalogue.js';
import { Page, PageContext } from './context.js';
import { button, h, replaceChildren } from './dom.js';
import { label } from './format.js';
import { alertsPage } from './pages/alerts.js';
import { commandPage } from './pages/command.js';
import { participantPage } from './pages/participant.js';
import { participantsPage } from './pages/participants.js';
import { registerPage } from './pages/register.js';
import { reportsPage } from './pages/reports.js';
import { schoolPage, schoolsPage } from './pages/schools.js';
import { signInPage } from './pages/sign-in.js';
import { forgetKey, Session, signIn, storedKey } from './session.js';

interface Route {
  readonly pattern: RegExp;
  readonly page: Page;
  /** Shown only to roles holding one of these permissions. */
  readonly permissions: readonly string[];
}

const REGISTER = ['RegisterECT', 'RegisterMentor', 'RegisterInductionTutor'];

const ROUTES: readonly Route[] = [
  { pattern: /^\/participants$/, page: participantsPage, permissions: ['ReadParticipants'] },
  { pattern: /^\/participants\/([0-9a-f-]{36})$/, page: participantPage, permissions: ['ReadParticipants'] },
  { pattern: /^\/participants\/([0-9a-f-]{36})\/([a-z-]+)$/, page: commandPage, permissions: ['ReadParticipants'] },
  { pattern: /^\/register$/, page: registerPage, permissions: REGISTER },
  { pattern: /^\/schools$/, page: schoolsPage, permissions: ['ReadCoachingRelationships'] },
  { pattern: /^\/schools\/(\d{6})$/, page: schoolPage, permissions: ['ReadCoachingRelationships'] },
  { pattern: /^\/reports$/, page: reportsPage, permissions: ['ReadPaymentReports'] },
  { pattern: /^\/alerts$/, page: alertsPage, permissions: ['ReadAlerts'] },
];

const NAVIGATION: readonly { route: string; text: string; permissions: readonly string[] }[] = [
  { route: '/participants', text: 'Participants', permissions: ['ReadParticipants'] },
  { route: '/register', text: 'Register', permissions: REGISTER },
  { route: '/schools', text: 'Schools', permissions: ['ReadCoachingRelationships'] },
  { route: '/reports', text: 'Payment report', permissions: ['ReadPaymentReports'] },
  { route: '/alerts', text: 'Alerts', permissions: ['ReadAlerts'] },
];

const main = document.getElementById('main') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;

let session: Session | null = null;
let catalogue: Catalogue | null = null;
let flash: string | null = null;
let signInNotice: string | null = null;
let renders = 0;
let firstRender = true;

const allowed = (permissions: readonly string[]): boolean => session !== null && permissions.some((permission) => session?.may(permission));

function parseHash(): { path: string; query: URLSearchParams } {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function navigate(route: string, message?: string): void {
  flash = message ?? null;
  if (location.hash === `#${route}`) void render();
  else location.hash = route;
}

function signOut(notice: string | null): void {
  forgetKey();
  session = null;
  signInNotice = notice;
  renderHeader();
  navigate('/sign-in');
}

function renderHeader(): void {
  if (!session) {
    who.replaceChildren();
    nav.replaceChildren();
    nav.hidden = true;
    return;
  }
  const { caller } = session;
  const scope = caller.deliveryPartnerId ? `delivery partner ${caller.deliveryPartnerId}` : caller.schoolUrns.length > 0 ? `school ${caller.schoolUrns.join(', ')}` : 'all schools';
  replaceChildren(
    who,
    h('span', { class: 'who-name' }, caller.name),
    h('span', { class: 'who-role' }, `${label(caller.role)} · ${scope}`),
    button('Sign out', { class: 'button button-secondary button-small', onclick: () => signOut('You have signed out. Your key has been forgotten by this tab.') }),
  );
  const current = parseHash().path;
  replaceChildren(
    nav,
    h(
      'ul',
      { class: 'nav-list' },
      ...NAVIGATION.filter((item) => allowed(item.permissions)).map((item) =>
        h('li', null, h('a', { href: `#${item.route}`, class: 'nav-link', 'aria-current': current.startsWith(item.route) ? 'page' : null }, item.text)),
      ),
    ),
  );
  nav.hidden = false;
}

function homeRoute(): string {
  return NAVIGATION.find((item) => allowed(item.permissions))?.route ?? '/no-pages';
}

async function render(): Promise<void> {
  const ticket = ++renders;
  const { path, query } = parseHash();
  renderHeader();
  if (!session) {
    if (path !== '/sign-in') return void location.replace('#/sign-in');
    show(signInPage(onSignedIn, signInNotice));
    return;
  }
  if (path === '/sign-in' || path === '/') return void location.replace(`#${homeRoute()}`);
  if (path === '/no-pages') return show(messagePage('Nothing to show', `The ${label(session.caller.role)} role has no pages in the console; its work is done with the ecf command line.`));
  const route = ROUTES.map((candidate) => ({ candidate, match: candidate.pattern.exec(path) })).find(({ match }) => match !== null);
  if (!route || !route.match) return show(messagePage('Page not found', 'There is no such page in the console. Use the menu above.'));
  if (!allowed(route.candidate.permissions)) {
    return show(messagePage('Not available to your role', `The ${label(session.caller.role)} role cannot use this page.`));
  }
  const context: PageContext = {
    session,
    catalogue: await loadCatalogue(),
    query,
    navigate,
    reload: (message?: string) => navigate(`${path}${query.toString() ? `?${query}` : ''}`, message),
    flash,
  };
  flash = null;
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    const node = await route.candidate.page(context, ...route.match.slice(1));
    if (ticket === renders) show(node);
  } catch (error) {
    if (ticket !== renders) return;
    if (error instanceof ApiError && error.status === 401) return signOut('Your key is no longer accepted (it may have been revoked). Sign in again.');
    show(errorPage(error));
  }
}

function show(node: Node): void {
  main.removeAttribute('aria-busy');
  main.replaceChildren(node);
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'ECF back office'} – ECF back office`;
  // After a navigation, start screen readers and keyboard users at the new page's heading.
  if (!firstRender && heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
  firstRender = false;
}

async function loadCatalogue(): Promise<Catalogue> {
  catalogue ??= await Catalogue.load();
  return catalogue;
}

function onSignedIn(signedIn: Session): void {
  session = signedIn;
  signInNotice = null;
  navigate(homeRoute());
}

function messagePage(title: string, text: string): Node {
  return h('div', null, h('h1', { class: 'heading-l' }, title), h('p', null, text));
}

function errorPage(error: unknown): Node {
  if (error instanceof ApiError) {
    const { problem } = error;
    const title = problem.status === 404 ? 'Not found' : problem.status === 403 ? 'Not allowed' : 'Something went wrong';
    return h(
      'div',
      null,
      h('h1', { class: 'heading-l' }, title),
      h('p', null, problem.detail),
      problem.nextStep ? h('p', null, h('strong', null, 'What to do: '), problem.nextStep) : null,
      h('p', { class: 'hint' }, `Code ${problem.code}`),
    );
  }
  return messagePage('Something went wrong', error instanceof Error ? error.message : String(error));
}

async function start(): Promise<void> {
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  window.addEventListener('hashchange', () => void render());
  const key = storedKey();
  if (key) {
    try {
      session = await signIn(key);
    } catch (error) {
      // Only a refused key is forgotten; an API that is briefly away is tried again on the next load.
      const refused = error instanceof ApiError && error.status === 401;
      if (refused) forgetKey();
      signInNotice = refused ? 'Your key is no longer accepted. Sign in again.' : `${error instanceof Error ? error.message : String(error)} Reload the page to try again.`;
    }
  }
  await render();
}

void start();
