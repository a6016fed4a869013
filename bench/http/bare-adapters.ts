/** The HTTP adapters the bare NestJS baseline runs on (`bare-nest-app.ts`): Nest's default, Express, and Fastify. */
export const BARE_ADAPTERS = ['express', 'fastify'] as const;
export type BareAdapter = (typeof BARE_ADAPTERS)[number];
