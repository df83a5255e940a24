import { validateLedgerConfig } from './ledger-config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('configuration validated at boot', () => {
  it('accepts a minimal environment and fills in the defaults', () => {
    const config = validateLedgerConfig(valid);
    expect(config).toMatchObject({
      MONGODB_DB: 'pledge_ledger',
      PLEDGE_EVENTS_TOPIC: 'pledge-events',
      HTTP_PORT: 8080,
      LAPSE_AFTER_DAYS: 180,
    });
  });

  it('converts numeric settings from their string form', () => {
    expect(
      validateLedgerConfig({ ...valid, HTTP_PORT: '9000', PLEDGE_EVENTS_PARTITIONS: '12' }),
    ).toMatchObject({
      HTTP_PORT: 9000,
      PLEDGE_EVENTS_PARTITIONS: 12,
    });
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
