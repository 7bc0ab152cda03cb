import { HttpException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** One invalid input field. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** RFC 9457 problem details body. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  rule?: string;
  instance?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

/** An error that renders as the given problem details. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly slug: string,
    detail: string,
    readonly extras: { errors?: FieldProblem[]; rule?: string } = {},
  ) {
    super(detail, status);
  }

  toProblem(): ProblemDetails {
    const status = this.getStatus();
    return {
      type: problemType(this.slug),
      title: TITLES[status] ?? 'Error',
      status,
      detail: this.message,
      ...this.extras,
    };
  }
}

/** A serialised problem body, for places outside Nest's exception filters (Fastify hooks). */
export function problemBody(status: number, slug: string, detail: string, instance: string): string {
  return JSON.stringify({ type: problemType(slug), title: titleFor(status), status, detail, instance });
}

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

/** Flattens class-validator errors into `field.path: message` entries. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

export function validationProblem(errors: FieldProblem[], detail = 'The request has invalid fields'): ProblemException {
  return new ProblemException(400, 'validation', detail, { errors });
}
