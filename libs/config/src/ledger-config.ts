import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MinLength,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';

/** An empty variable (docker compose's `${X:-}`) is no setting at all. */
const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every setting the ledger's apps read, validated once at boot so that a wrong value stops start-up
 * with a message that names it (instead of failing at the first request).
 */
export class LedgerConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI: string;

  /** The event store (events, outbox, stream heads), organisations and API keys, idempotency records. */
  @Matches(/^[A-Za-z0-9_-]{1,58}$/, { message: 'MONGODB_DB must be 1-58 letters, digits, _ or -' })
  MONGODB_DB = 'pledge_ledger';

  /**
   * The read models (pledge summaries, report snapshots, checkpoints, dead letters): disposable, rebuilt from
   * the topic, so they live in a database of their own. Default: MONGODB_DB + "_read". On FerretDB (SQLite)
   * each database is its own file with its own write lock, so the projector's writes do not queue behind the
   * API's.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,63}$/, { message: 'MONGODB_READ_DB must be 1-63 letters, digits, _ or -' })
  MONGODB_READ_DB?: string;

  /**
   * The read models' database name. A getter, not a default written into the settings: @nestjs/config copies
   * the validated settings into process.env, and a derived name would then outlive a change of MONGODB_DB.
   */
  get readModelDb(): string {
    return this.MONGODB_READ_DB ?? `${this.MONGODB_DB}_read`;
  }

  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS: string;

  @Matches(/^[A-Za-z0-9._-]{1,100}$/)
  KAFKA_CLIENT_ID = 'pledge-ledger';

  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'PLEDGE_EVENTS_TOPIC must be a valid Kafka topic name' })
  PLEDGE_EVENTS_TOPIC = 'pledge-events';

  @Matches(/^[A-Za-z0-9._-]{1,200}$/, { message: 'DEAD_LETTER_TOPIC must be a valid Kafka topic name' })
  DEAD_LETTER_TOPIC = 'pledge-events.dead-letter';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  PLEDGE_EVENTS_PARTITIONS = 6;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(32767)
  KAFKA_REPLICATION_FACTOR = 1;

  @IsString()
  HTTP_HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT = 8080;

  /** Admin credential; only its SHA-256 is kept in memory after boot. Required by the ledger API. */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'ADMIN_API_KEY must be at least 24 characters' })
  ADMIN_API_KEY?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  /**
   * Server-side deadline of a request: past it the client gets 503 deadline-exceeded and the work stops
   * (database reads are aborted; a write that has not reached its commit point records nothing).
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  REQUEST_TIMEOUT_MS = 10_000;

  /** Requests in progress at once per process; more are refused with 503 overloaded (health is exempt). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MAX_IN_FLIGHT_REQUESTS = 256;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Live event streams (GET /events/live) open at once per process; one more is refused with 503. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  LIVE_EVENTS_MAX_STREAMS = 500;

  /**
   * A live stream that resumes further behind the log's head than this many positions is not replayed: it
   * gets a `reset` message and continues from the head (its client reloads what it shows instead).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  LIVE_EVENTS_REPLAY_LIMIT = 1000;

  /** How often the one tailer of the log per process looks for new entries while a live stream is open. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  LIVE_EVENTS_POLL_INTERVAL_MS = 500;

  /** A comment line this often keeps an idle live stream open through proxies that close quiet connections. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(300_000)
  LIVE_EVENTS_HEARTBEAT_MS = 15_000;

  /** Largest file POST /imports takes (streamed to a spool file, never held in memory). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024 * 1024)
  IMPORT_MAX_BYTES = 256 * 1024 * 1024;

  /** How long an import's upload and check may take before the request is refused (the recording goes on after). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(24 * 3600 * 1000)
  IMPORT_TIMEOUT_MS = 30 * 60 * 1000;

  /** Pledges an import checks or records at once (each pledge's events stay in order). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  IMPORT_CONCURRENCY = 8;

  /**
   * Imports one API process receives, checks or records at once; one more is refused with 503 and
   * Retry-After (each holds a spooled file of up to IMPORT_MAX_BYTES and reads many pledges).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  IMPORT_MAX_CONCURRENT = 4;

  /**
   * A running import writes its progress at least every fifth of this; one silent for longer is reported as
   * interrupted (its server stopped), and sending the file again records the rest.
   */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(3600 * 1000)
  IMPORT_STALE_AFTER_MS = 30_000;

  /** Where uploads wait between their check and their recording; default: the OS temp directory. */
  @IsOptional()
  @IsString()
  IMPORT_SPOOL_DIR?: string;

  /** An active pledge silent for more than this many days (counted from effective dates) is lapsed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LAPSE_AFTER_DAYS = 180;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  RELAY_BATCH_SIZE = 500;

  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(60000)
  RELAY_POLL_INTERVAL_MS = 50;

  /**
   * The relay completes an append whose writer claimed its version but has not stored the event this long
   * after (the writer stalled or died): the claim holds the whole event, so nothing is lost either way.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  OUTBOX_COMPLETE_AFTER_MS = 2000;

  /** Run the outbox relay inside the API process (handy for a single-process deployment and tests). */
  @IsIn(['true', 'false'])
  RELAY_IN_PROCESS: 'true' | 'false' = 'false';

  /**
   * The transparency log's name, the first line of every checkpoint it signs (C2SP tlog-checkpoint origin):
   * a schema-less URL naming this deployment, so a checkpoint of one ledger can never pass for another's.
   */
  @Matches(/^[A-Za-z0-9._~/:-]{1,200}$/, {
    message: 'LOG_ORIGIN must be a schema-less URL without spaces or "+"',
  })
  LOG_ORIGIN = 'pledge-ledger.localhost/log';

  /**
   * The log's Ed25519 signing key as a C2SP signer key (PRIVATE+KEY+<name>+<id>+<base64>), from a secret store.
   * Without it the key is read from LOG_SIGNING_KEY_FILE, generated there once when absent.
   */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^PRIVATE\+KEY\+\S+$/, { message: 'LOG_SIGNING_KEY must be a C2SP signer key (PRIVATE+KEY+...)' })
  LOG_SIGNING_KEY?: string;

  @IsString()
  @MinLength(1)
  LOG_SIGNING_KEY_FILE = '.infra/transparency/log-signing.key';

  /** A new signed checkpoint at most this often while the log grows. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  LOG_CHECKPOINT_INTERVAL_MS = 2000;

  /**
   * Witnesses whose cosignatures the API accepts and serves with its checkpoints: their C2SP verifier keys
   * (as `ledger-cli witness --print-key` prints them), comma-separated.
   */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[^\s,]+(,[^\s,]+)*$/, { message: 'LOG_WITNESS_KEYS must be comma-separated verifier keys' })
  LOG_WITNESS_KEYS?: string;

  @Matches(/^[A-Za-z0-9._-]{1,200}$/)
  PROJECTOR_GROUP_ID = 'pledge-projector';

  /** Attempts for one event before the projector parks it in the dead-letter topic. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  PROJECTOR_MAX_ATTEMPTS = 5;

  /**
   * Largest Kafka fetch per partition for the projector. Live, batches are small whatever this is; catching up
   * a backlog, a larger fetch holds more events of each pledge, applied with one write per pledge.
   */
  @Transform(toInt)
  @IsInt()
  @Min(65536)
  @Max(64 * 2 ** 20)
  PROJECTOR_FETCH_BYTES_PER_PARTITION = 4 * 2 ** 20;

  /**
   * How often the projector looks whether the report snapshots are behind the read model (new events, or a
   * pledge lapsing or a deadline passing since they were compiled) and compiles them again; 0 turns it off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  REPORT_COMPILE_INTERVAL_MS = 1000;

  /**
   * An unfiltered report is served from its snapshot when the snapshot reflects every event the read model
   * does, or was compiled less than this long ago; otherwise (the compiler is down or far behind) it is
   * computed for the request.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  REPORT_SNAPSHOT_MAX_AGE_MS = 300_000;
}

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${prefix}${e.property}: ${m}`),
    ...describe(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/** For ConfigModule.forRoot({ validate }). Throws one error that lists every bad setting by name. */
export function validateLedgerConfig(env: Record<string, unknown>): LedgerConfig {
  const config = plainToInstance(LedgerConfig, env, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${describe(errors).join('\n  - ')}`);
  }
  if (config.readModelDb === config.MONGODB_DB)
    throw new Error('Invalid configuration:\n  - MONGODB_READ_DB must differ from MONGODB_DB');
  return config;
}
