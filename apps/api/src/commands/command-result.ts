import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommandOutcome } from '@ecf/command-handling';
import { NoCascadeView } from '../participants/no-cascade-reason';

export class CommandResultDto {
  @ApiPropertyOptional({ format: 'uuid' }) participantId?: string;
  @ApiPropertyOptional({ example: '123456' }) schoolUrn?: string;
  @ApiProperty({ description: 'The stream revision after the command; send it as If-Match with the next command.', example: 0 })
  revision!: number;
  @ApiProperty({ description: 'Position of the command’s last event in the event feed.', example: 42 }) position!: number;
  @ApiPropertyOptional({ description: 'Present and true when nothing was written (?dryRun=true).' })
  dryRun?: boolean;
  @ApiPropertyOptional({ description: 'Only with ?dryRun=true: the events the command would write.', type: 'array', items: { type: 'object' } })
  events?: unknown[];
  @ApiPropertyOptional({
    description: 'Only with ?dryRun=true: the commands policies would then issue (e.g. deferring the ECT’s mentor).',
    type: 'array',
    items: { type: 'object' },
  })
  cascades?: unknown[];
  @ApiPropertyOptional({ description: 'Only with ?dryRun=true, when no policy command follows a change a mentor could follow: why not.', type: NoCascadeView })
  noCascade?: NoCascadeView;
}

export function toCommandResult(
  subject: { participantId: string } | { schoolUrn: string },
  outcome: CommandOutcome<unknown, unknown>,
  dryRun: boolean,
): CommandResultDto {
  return {
    ...subject,
    revision: outcome.revision,
    position: outcome.position,
    ...(dryRun ? { dryRun: true, events: outcome.events } : {}),
  };
}
