/** The HTTP adapters the bare NestJS baseline runs on (`bare-nest-app.ts`): Nest's default, Express, and Fastify. */
export const BARE_ADAPTERS = ['express', 'fastify'] as const;
export type BareAdapter = (typeof BARE_ADAPTERS)[number];

/**
 * The baseline of one route: the faster of the bare apps on it, measured in the same run, with both apps'
 * figures kept beside it. Taking the faster means a slower adapter can never flatter a ratio.
 */
export function fasterBareApp<F extends { readonly requestsPerSecond: number }>(
  route: string,
  bareApps: Record<BareAdapter, F>,
): F & { readonly route: string; readonly adapter: BareAdapter; readonly bareApps: Record<BareAdapter, F> } {
  const adapter = BARE_ADAPTERS.reduce((best, candidate) => (bareApps[candidate].requestsPerSecond > bareApps[best].requestsPerSecond ? candidate : best));
  return { ...bareApps[adapter], route, adapter, bareApps };
}
