import { Injectable, type PipeTransform } from '@nestjs/common';
import { validate as isUuid } from 'uuid';
import { ProblemException } from './problem.js';

/** Entity ids are UUIDs; anything else cannot name an entity, so it reads as unknown (404). */
@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value === 'string' && isUuid(value)) return value.toLowerCase();
    throw new ProblemException(404, 'not-found', `Nothing is known under the id ${JSON.stringify(String(value).slice(0, 64))}`);
  }
}
