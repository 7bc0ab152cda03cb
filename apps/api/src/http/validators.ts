import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength, registerDecorator, type ValidationOptions } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { isBusinessTime, isCalendarDate } from './time.js';

/** A `YYYY-MM-DD` calendar date that exists. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date (YYYY-MM-DD)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value) },
    });
}

/** A date (00:00 Europe/Oslo) or an ISO 8601 date-time with an offset. */
export function IsBusinessTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBusinessTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isBusinessTime(value) },
    });
}

/** Required human text: trimmed length 1..max. */
export function IsText(max: number): PropertyDecorator {
  return applyDecorators(
    IsString(),
    MaxLength(max),
    Matches(/\S/, { message: ({ property }) => `${property} must not be blank` }),
  );
}

/** Up to 20 short theme labels. */
export function IsThemes(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    MaxLength(80, { each: true }),
    Matches(/\S/, { each: true, message: 'each theme must not be blank' }),
  );
}

/** Text limits used across request bodies. */
export const TEXT = { title: 200, name: 200, short: 500, long: 5000 } as const;
