import { ArrayMaxSize, buildMessage, IsArray, IsString, Matches, registerDecorator, ValidateBy, type ValidationOptions } from 'class-validator';
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

/** Characters as code points; a surrogate pair is one. */
export function codePointLength(value: string): number {
  let length = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * At most `max` characters, counted as code points. class-validator's MaxLength (validator.js) does not count a
 * variation selector after a character, so `a\uFE0F` repeated passed at twice the limit.
 */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxChars',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && codePointLength(value) <= max,
        defaultMessage: buildMessage((each) => `${each}$property must be at most $constraint1 characters`, options),
      },
    },
    options,
  );
}

/**
 * Well-formed Unicode: no lone surrogate (a JSON `"\ud800"` escape). UTF-8 cannot hold one, so the read models
 * stored it as three U+FFFD while the event log kept it: the same text read differently by view and by list.
 */
export function IsWellFormed(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWellFormed',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !/\p{Surrogate}/u.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must be well-formed Unicode text (no lone surrogates)`, options),
      },
    },
    options,
  );
}

/** Required human text: trimmed length 1..max. */
export function IsText(max: number): PropertyDecorator {
  return applyDecorators(
    IsString(),
    IsWellFormed(),
    MaxChars(max),
    Matches(/\S/, { message: ({ property }) => `${property} must not be blank` }),
  );
}

/** Up to 20 short theme labels. */
export function IsThemes(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    IsWellFormed({ each: true }),
    MaxChars(80, { each: true }),
    Matches(/\S/, { each: true, message: 'each theme must not be blank' }),
  );
}

/** Text limits used across request bodies. */
export const TEXT = { title: 200, name: 200, short: 500, long: 5000 } as const;
