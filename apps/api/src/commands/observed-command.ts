import { ProblemException } from '../problem/problem';
import { CommandRequest } from './command-request';
import type { ObservedCommand } from '@ecf/command-handling';

/**
 * A command received over HTTP as its span and metrics see it. The API's own refusals on the way
 * (scope, a reused Idempotency-Key) are rejections with their problem's code, like the domain's.
 */
export const apiCommand = (request: CommandRequest, type: string, streamId: string, participantId?: string): ObservedCommand => ({
  origin: 'api',
  type,
  streamId,
  ...(participantId === undefined ? {} : { participantId }),
  envelope: request.envelope,
  dryRun: request.dryRun,
  rejectionCode: (error) => (error instanceof ProblemException && error.getStatus() < 500 ? error.code : undefined),
});
