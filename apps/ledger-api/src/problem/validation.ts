import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidParam, ProblemException } from './problem';

/** class-validator's nested errors flattened to JSON pointers, e.g. /terms/targets/0/deadline. */
export function flattenValidationErrors(errors: ValidationError[], path = ''): InvalidParam[] {
  return errors.flatMap((error) => {
    const pointer = `${path}/${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      name: pointer,
      reason:
        rule === 'whitelistValidation' ? `unknown field: ${pointer} is not part of this request` : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], pointer)];
  });
}

/** Unknown fields are refused, every bad field is named, nothing is coerced silently. */
export function ledgerValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const invalid = flattenValidationErrors(errors);
      return new ProblemException(
        400,
        'invalid-request',
        'The request is not valid',
        `${invalid.length} field(s) are not valid: ${invalid.map((p) => p.name).join(', ')}`,
        { 'invalid-params': invalid },
      );
    },
  });
}
