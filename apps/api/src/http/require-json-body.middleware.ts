import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ProblemException } from '../problem/problem';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/;

const hasBody = (request: Request): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/**
 * A request that carries a body must say it is JSON. The JSON parser leaves other media types unread
 * (form posts, text, XML, multipart), and the validation pipe would then report missing fields as if
 * the caller had sent none: 415 says what is actually wrong. Every command body is a JSON object;
 * an array or a bare value is refused here, before the validation pipe maps it onto a DTO.
 */
@Injectable()
export class RequireJsonBodyMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (!hasBody(request)) return next();
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ProblemException(415, 'UNSUPPORTED_MEDIA_TYPE', `Request bodies are JSON: send Content-Type: application/json (got ${mediaType === '' ? 'none' : JSON.stringify(mediaType.slice(0, 100))}).`);
    }
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      throw new ProblemException(400, 'BODY_NOT_OBJECT', 'The request body must be a JSON object of the command\'s fields.');
    }
    next();
  }
}
