import type { ActionCatalogue, ActionRef } from './action-frameworks';
import { DomainError, DomainErrorCode } from './domain-error';
import { calendarDate, isRecord, list, measure, requiredText } from './field-checks';
import { isCountryCode, isRegion } from './geography';
import { isCurrencyCode, type Money } from './money';
import { TARGET_ID_PATTERN, type PledgeTerms, type Target } from './pledge-terms';

const { InvalidTerms } = DomainErrorCode;

/**
 * Checks terms as a submission or an amendment proposes them and returns a clean copy: trimmed text, only
 * the known fields, absent `countries`/`regions`/`global` as empty/false. Throws the first DomainError
 * found, its field prefixed with `at` ('terms' for a submission, 'changes' for an amendment).
 */
export function validatePledgeTerms(input: unknown, catalogue: ActionCatalogue, at = 'terms'): PledgeTerms {
  if (!isRecord(input)) throw new DomainError(InvalidTerms, `${at} must be an object`, at);

  const title = requiredText(input.title, `${at}.title`, InvalidTerms);
  const description = requiredText(input.description, `${at}.description`, InvalidTerms);
  const countries = validCountries(input.countries ?? [], `${at}.countries`);
  const regions = validRegions(input.regions ?? [], `${at}.regions`);
  const global = input.global ?? false;
  if (typeof global !== 'boolean') {
    throw new DomainError(InvalidTerms, `${at}.global must be true or false`, `${at}.global`);
  }
  if (countries.length === 0 && regions.length === 0 && !global) {
    throw new DomainError(
      InvalidTerms,
      `${at} must name at least one country or region, or be global`,
      `${at}.countries`,
    );
  }
  const actions = validActions(input.actions, catalogue, `${at}.actions`);
  const targets = validTargets(input.targets, `${at}.targets`);

  const terms: PledgeTerms = { title, description, countries, regions, global, actions, targets };
  if (input.financialCommitment !== undefined && input.financialCommitment !== null) {
    terms.financialCommitment = validMoney(input.financialCommitment, `${at}.financialCommitment`);
  }
  return terms;
}

function unique<T>(values: T[], field: string, key: (value: T) => string, code = InvalidTerms): T[] {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const k = key(value);
    if (seen.has(k)) throw new DomainError(code, `${field}[${index}] repeats "${k}"`, `${field}[${index}]`);
    seen.add(k);
  });
  return values;
}

function validCountries(value: unknown, field: string): string[] {
  const countries = list(value, field, InvalidTerms).map((code, index) => {
    if (typeof code !== 'string' || !isCountryCode(code)) {
      throw new DomainError(
        DomainErrorCode.InvalidCountry,
        `${field}[${index}] must be an uppercase ISO 3166-1 alpha-2 country code, got ${JSON.stringify(code)}`,
        `${field}[${index}]`,
      );
    }
    return code;
  });
  return unique(countries, field, (code) => code);
}

function validRegions(value: unknown, field: string): string[] {
  const regions = list(value, field, InvalidTerms).map((region, index) => {
    if (typeof region !== 'string' || !isRegion(region)) {
      throw new DomainError(
        DomainErrorCode.InvalidRegion,
        `${field}[${index}] must be one of the known regions (see REGIONS), got ${JSON.stringify(region)}`,
        `${field}[${index}]`,
      );
    }
    return region;
  });
  return unique(regions, field, (region) => region);
}

function validActions(value: unknown, catalogue: ActionCatalogue, field: string): ActionRef[] {
  const actions = list(value, field, InvalidTerms).map((ref, index): ActionRef => {
    const at = `${field}[${index}]`;
    if (!isRecord(ref)) throw new DomainError(InvalidTerms, `${at} must be { framework, action }`, at);
    const framework = catalogue.find(String(ref.framework));
    if (typeof ref.framework !== 'string' || !framework) {
      throw new DomainError(
        DomainErrorCode.UnknownFramework,
        `${at}.framework: no action framework ${JSON.stringify(ref.framework)}`,
        `${at}.framework`,
      );
    }
    if (typeof ref.action !== 'string' || !catalogue.has({ framework: ref.framework, action: ref.action })) {
      throw new DomainError(
        DomainErrorCode.UnknownAction,
        `${at}.action: framework "${framework.code}" has no action ${JSON.stringify(ref.action)}`,
        `${at}.action`,
      );
    }
    return { framework: ref.framework, action: ref.action };
  });
  if (actions.length === 0) {
    throw new DomainError(InvalidTerms, `${field} must name at least one action`, field);
  }
  return unique(actions, field, (ref) => `${ref.framework}/${ref.action}`);
}

function validTargets(value: unknown, field: string): Target[] {
  const targets = list(value, field, InvalidTerms).map((target, index) =>
    validTarget(target, `${field}[${index}]`),
  );
  if (targets.length === 0) {
    throw new DomainError(InvalidTerms, `${field} must hold at least one measurable target`, field);
  }
  return unique(targets, field, (target) => target.id, DomainErrorCode.DuplicateTarget);
}

function validTarget(value: unknown, at: string): Target {
  if (!isRecord(value)) throw new DomainError(InvalidTerms, `${at} must be a target object`, at);
  if (typeof value.id !== 'string' || !TARGET_ID_PATTERN.test(value.id)) {
    throw new DomainError(
      InvalidTerms,
      `${at}.id must match ${TARGET_ID_PATTERN} (lowercase letters, digits, dashes), got ${JSON.stringify(value.id)}`,
      `${at}.id`,
    );
  }
  const target: Target = {
    id: value.id,
    indicator: requiredText(value.indicator, `${at}.indicator`, InvalidTerms),
    unit: requiredText(value.unit, `${at}.unit`, InvalidTerms),
    baseline: measure(value.baseline, `${at}.baseline`, InvalidTerms),
    targetValue: measure(value.targetValue, `${at}.targetValue`, InvalidTerms),
    deadline: calendarDate(value.deadline, `${at}.deadline`, InvalidTerms),
  };
  // Without a direction there is nothing to measure progress against.
  if (target.targetValue === target.baseline) {
    throw new DomainError(
      InvalidTerms,
      `${at}.targetValue must differ from the baseline`,
      `${at}.targetValue`,
    );
  }
  return target;
}

function validMoney(value: unknown, at: string): Money {
  if (!isRecord(value)) throw new DomainError(InvalidTerms, `${at} must be { amount, currency }`, at);
  const amount = measure(value.amount, `${at}.amount`, InvalidTerms);
  if (amount === 0) {
    throw new DomainError(
      InvalidTerms,
      `${at}.amount must be greater than zero, got ${amount}`,
      `${at}.amount`,
    );
  }
  if (typeof value.currency !== 'string' || !isCurrencyCode(value.currency)) {
    throw new DomainError(
      DomainErrorCode.InvalidCurrency,
      `${at}.currency must be an uppercase ISO 4217 currency code, got ${JSON.stringify(value.currency)}`,
      `${at}.currency`,
    );
  }
  return { amount, currency: value.currency };
}
