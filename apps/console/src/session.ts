import { Api } from './api.js';

/** What GET /me says about the signed-in key. */
export interface Caller {
  readonly keyId: string;
  readonly name: string;
  readonly role: string;
  readonly schoolUrns: readonly string[];
  readonly deliveryPartnerId: string | null;
  readonly seesPersonalData: boolean;
  /** Permission names from the API's one permission table (the operations' `x-required-permission`). */
  readonly permissions: readonly string[];
}

export interface Session {
  readonly api: Api;
  readonly caller: Caller;
  may(permission: string): boolean;
}

// sessionStorage only: the key lives as long as the tab, is not shared with other tabs, and is never a cookie.
const STORAGE_KEY = 'ecf-console.api-key';

export const storedKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const forgetKey = (): void => sessionStorage.removeItem(STORAGE_KEY);

/** Asks the API who the key belongs to; remembers the key only once the API accepted it. */
export async function signIn(key: string): Promise<Session> {
  const api = new Api(key);
  const caller = await api.get<Caller>('/me');
  sessionStorage.setItem(STORAGE_KEY, key);
  return { api, caller, may: (permission) => caller.permissions.includes(permission) };
}
