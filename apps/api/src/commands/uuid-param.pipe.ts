import { Injectable, PipeTransform } from '@nestjs/common';
import { UUID_PATTERN } from '@ecf/domain';
import { ProblemException } from '../problem/problem';

/** Ids in paths are UUIDs; anything else is a 400 naming the parameter. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID_PATTERN.test(value)) {
      throw new ProblemException(400, 'INVALID_ID', 'The id in the path must be a UUID.', {
        errors: [{ field: 'id', code: 'INVALID_UUID', message: 'Not a UUID.' }],
      });
    }
    return value.toLowerCase();
  }
}
