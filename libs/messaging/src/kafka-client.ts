import { Kafka, logLevel, LogEntry } from 'kafkajs';
import pino from 'pino';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through pino so the broker client's lines are structured JSON like the apps' own. */
function pinoLogCreator(base: pino.Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      base[levels[level] ?? 'info']({ ...extra, component: 'kafkajs' }, message);
    };
}

export function createKafka(options: { brokers: string; clientId: string; logLevel?: string }): Kafka {
  const logger = pino({ level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers.split(',').map((b) => b.trim()),
    // kafkajs logs INFO for every group join; WARN keeps the log about what needs attention.
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    retry: { initialRetryTime: 200, retries: 8 },
  });
}
