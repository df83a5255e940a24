import { validateLedgerConfig } from './ledger-config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('configuration validated at boot', () => {
  it('accepts a minimal environment and fills in the defaults', () => {
    const config = validateLedgerConfig(valid);
    expect(config).toMatchObject({
      MONGODB_DB: 'pledge_ledger',
      readModelDb: 'pledge_ledger_read',
      PLEDGE_EVENTS_TOPIC: 'pledge-events',
      HTTP_PORT: 8080,
      LAPSE_AFTER_DAYS: 180,
    });
  });

  it('keeps the read models in a database of their own', () => {
    expect(validateLedgerConfig({ ...valid, MONGODB_DB: 'ledger_a' }).readModelDb).toBe('ledger_a_read');
    expect(validateLedgerConfig({ ...valid, MONGODB_READ_DB: 'reports' }).readModelDb).toBe('reports');
    expect(() => validateLedgerConfig({ ...valid, MONGODB_DB: 'x', MONGODB_READ_DB: 'x' })).toThrow(
      /MONGODB_READ_DB must differ from MONGODB_DB/,
    );
  });

  it('converts numeric settings from their string form', () => {
    expect(
      validateLedgerConfig({ ...valid, HTTP_PORT: '9000', PLEDGE_EVENTS_PARTITIONS: '12' }),
    ).toMatchObject({
      HTTP_PORT: 9000,
      PLEDGE_EVENTS_PARTITIONS: 12,
    });
  });

  it('takes an empty transparency-log key or witness list (docker compose ${X:-}) as not set, and refuses a malformed one', () => {
    const config = validateLedgerConfig({ ...valid, LOG_SIGNING_KEY: '', LOG_WITNESS_KEYS: '' });
    expect(config.LOG_SIGNING_KEY).toBeUndefined();
    expect(config.LOG_WITNESS_KEYS).toBeUndefined();
    expect(config.LOG_SIGNING_KEY_FILE).toBe('.infra/transparency/log-signing.key');
    expect(() => validateLedgerConfig({ ...valid, LOG_SIGNING_KEY: 'not-a-key' })).toThrow(/LOG_SIGNING_KEY/);
  });

  it('names every bad setting in one message', () => {
    expect(() =>
      validateLedgerConfig({
        MONGODB_URI: 'postgres://x',
        KAFKA_BROKERS: 'no-port',
        HTTP_PORT: 'eighty',
        ADMIN_API_KEY: 'short',
      }),
    ).toThrow(/MONGODB_URI[\s\S]*KAFKA_BROKERS[\s\S]*HTTP_PORT[\s\S]*ADMIN_API_KEY/);
  });

  it('never echoes a secret value in the message', () => {
    try {
      validateLedgerConfig({ ...valid, ADMIN_API_KEY: 'tiny-secret' });
      throw new Error('expected a validation error');
    } catch (error) {
      expect((error as Error).message).toContain('ADMIN_API_KEY');
      expect((error as Error).message).not.toContain('tiny-secret');
    }
  });
});
