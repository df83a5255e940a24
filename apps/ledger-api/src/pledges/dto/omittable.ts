import { ValidateIf } from 'class-validator';

/**
 * A field that may be left out, but not sent as null: class-validator's `IsOptional` skips its checks for
 * null too, which would let `"reportId": null` through where the document (and the ledger) say text.
 * A field whose null has a meaning says so with its own `ValidateIf`.
 */
export const Omittable = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
