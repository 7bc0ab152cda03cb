import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsUUID, Max, Min, ValidateBy } from 'class-validator';
import { isCalendarDate } from './time.js';

/** The id of another entity in a body: a UUID, read in lower case as path ids and stream names are. */
export function IsEntityId(): PropertyDecorator {
  return applyDecorators(
    IsUUID('all', { message: ({ property }) => `${property} must be a UUID` }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
  );
}

/** A count of people or organisations: a whole number from 0 to `max`. */
export function IsCount(max: number): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(max));
}

const PERIOD = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;

/** When something is planned: a year (`2019`), quarter (`2019-Q3`), month (`2019-09`) or calendar date. */
export function IsPeriod(): PropertyDecorator {
  return ValidateBy({
    name: 'isPeriod',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (PERIOD.test(value) || isCalendarDate(value)),
      defaultMessage: (args) => `${args?.property ?? 'value'} must be a year, quarter, month or date (2019, 2019-Q3, 2019-09, 2019-09-15)`,
    },
  });
}
