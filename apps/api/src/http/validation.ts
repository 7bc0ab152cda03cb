import { ValidationPipe } from '@nestjs/common';
import { fieldProblems, validationProblem } from './problem.js';

/** Whitelisting validation: unknown fields are rejected, every bad field is reported. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(fieldProblems(errors)),
  });
}
