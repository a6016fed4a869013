import type { Catalogue } from './catalogue.js';
import type { Session } from './session.js';

/** What every page gets: who is signed in, what the API documents, the route's query, and navigation. */
export interface PageContext {
  readonly session: Session;
  readonly catalogue: Catalogue;
  readonly query: URLSearchParams;
  navigate(route: string, flash?: string): void;
  /** Renders the current route again (after a change, or to reload). */
  reload(flash?: string): void;
  /** A message left by the previous page (e.g. "Paused."), shown once. */
  readonly flash: string | null;
}

export type Page = (context: PageContext, ...parameters: string[]) => Promise<Node>;
