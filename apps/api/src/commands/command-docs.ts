import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { Permission, PERMISSIONS } from '../auth/permissions';

/** The headers, query and error responses every command endpoint shares, documented once. */
export const CommandDocs = (permission: Permission) =>
  applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result and writes nothing.' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The revision you read; 412 if the record changed since.' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'UUID tying related commands together in the audit trail.' }),
    ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'Decide and return the events without writing them.' }),
    ApiResponse({ status: 400, description: 'Invalid fields (problem+json with `errors`); nothing written.' }),
    ApiResponse({ status: 401, description: 'No valid API key.' }),
    ApiResponse({ status: 403, description: `Role not allowed. Allowed roles: ${PERMISSIONS[permission].join(', ')}.` }),
    ApiResponse({ status: 404, description: 'Not found, or outside the key’s scope.' }),
    ApiResponse({ status: 409, description: 'Conflicts with the current state (e.g. a TRN already registered).' }),
    ApiResponse({ status: 412, description: 'If-Match revision is stale.' }),
    ApiResponse({ status: 422, description: 'A programme rule is not met; the problem names the rule and the next step.' }),
  );
