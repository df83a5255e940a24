import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { pledgeStreamId } from '@ledger/domain';
import { eventKey, MongoEventStore } from '@ledger/event-store';
import {
  leafHash,
  parseCheckpoint,
  parseNote,
  TileUnavailableError,
  verifyCosignatures,
} from '@ledger/transparency';
import { CosignatureSubmissionDto } from './cosignature.dto';
import { ApiPledgeIdParam, ApiReadProblems } from '../openapi/api-answers';
import { ProblemException } from '../problem';
import { PledgeIdPipe } from '../pledges/pledge-id.pipe';
import { ConsistencyProofQueryDto, InclusionProofQueryDto } from './log-query.dto';
import {
  ConsistencyProofSchema,
  CosignatureAcceptedSchema,
  InclusionProofSchema,
  ProofBundleSchema,
} from './log.responses';
import { TransparencyLog } from './transparency-log.service';

const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));

/** 422: the request is well-formed but cannot be answered as asked (`name`: the parameter at fault). */
function unprocessable(
  code: string,
  name: string,
  detail: string,
  title = 'Unprocessable',
): ProblemException {
  return new ProblemException(422, code, title, detail, { 'invalid-params': [{ name, reason: detail }] });
}

function notYet(detail: string): ProblemException {
  return new ProblemException(404, 'not-in-log', 'Not found', detail);
}

/**
 * The transparency log as watchdogs and witnesses read it: the latest signed checkpoint, the public key,
 * inclusion and consistency proofs, and a pledge's proof bundle. Public, like every read. The tiles
 * themselves are static files under /log/tile/ (see LogTilesRoutes).
 */
@ApiTags('transparency log')
@Controller()
export class LogController {
  constructor(
    private readonly log: TransparencyLog,
    private readonly store: MongoEventStore,
  ) {}

  private async latest(): Promise<{ size: number; note: string }> {
    const checkpoint = await this.log.store.latestCheckpoint();
    if (!checkpoint)
      throw new ProblemException(
        503,
        'no-checkpoint-yet',
        'Service unavailable',
        'The log has not signed a checkpoint yet (the relay signs one when it starts).',
      );
    return checkpoint;
  }

  @Get('log/checkpoint')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The latest C2SP signed checkpoint (tlog-checkpoint), with the cosignatures of witnesses',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiReadProblems()
  @ApiOperation({
    operationId: 'getLogCheckpoint',
    summary: "The transparency log's latest signed checkpoint",
  })
  async checkpoint(): Promise<string> {
    const latest = await this.latest();
    return (await this.log.withCosignatures(latest.size, latest.note)).note;
  }

  @Get('log/checkpoint/witnessed')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The newest checkpoint cosigned by every witness the log is configured with',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiReadProblems(404)
  @ApiOperation({
    operationId: 'getWitnessedCheckpoint',
    summary: 'The newest checkpoint every configured witness cosigned (C2SP tlog-cosignature)',
  })
  async witnessed(): Promise<string> {
    const witnessed = await this.log.witnessed();
    if (!witnessed)
      throw new ProblemException(
        404,
        'not-witnessed',
        'Not found',
        this.log.witnesses.length
          ? 'No checkpoint is cosigned by every configured witness yet.'
          : 'This log is configured with no witness (LOG_WITNESS_KEYS).',
      );
    return witnessed.note;
  }

  @Post('log/cosignatures')
  @HttpCode(200)
  @ApiOkResponse({ type: CosignatureAcceptedSchema })
  @ApiReadProblems(400, 413, 415, 422)
  @ApiOperation({
    operationId: 'submitCosignature',
    summary:
      "A witness hands in its cosignature of one of the log's checkpoints. Authenticated by the cosignature itself: only witnesses in LOG_WITNESS_KEYS are accepted, and only over a checkpoint this log signed.",
  })
  async cosign(@Body() body: CosignatureSubmissionDto) {
    const refuse = (code: string, detail: string) =>
      unprocessable(code, 'note', detail, 'Cosignature refused');
    let text: string;
    let size: number;
    try {
      text = parseNote(body.note).text;
      size = parseCheckpoint(text).treeSize;
    } catch (error) {
      throw refuse('invalid-checkpoint-note', `not a signed checkpoint note: ${(error as Error).message}`);
    }
    const stored = await this.log.store.checkpointOfSize(size);
    if (!stored || parseNote(stored.note).text !== text)
      throw refuse('unknown-checkpoint', `this log signed no such checkpoint of size ${size}`);
    if (this.log.witnesses.length === 0)
      throw refuse('no-witnesses', 'this log is configured with no witness (LOG_WITNESS_KEYS)');
    const check = verifyCosignatures(body.note, this.log.witnesses);
    if (check.invalid.length > 0)
      throw refuse('invalid-cosignature', check.invalid.map((i) => `${i.witness}: ${i.reason}`).join('; '));
    if (check.cosigned.length === 0)
      throw refuse('no-cosignature', 'the note carries no cosignature by a configured witness');
    const lines = body.note.split('\n');
    for (const cosignature of check.cosigned) {
      const line = lines.filter((l) => l.startsWith(`\u2014 ${cosignature.witness} `)).at(-1)!;
      await this.log.store.storeCosignature({
        size,
        witness: cosignature.witness,
        line,
        timestamp: cosignature.timestamp,
      });
    }
    return { accepted: check.cosigned.map((c) => c.witness), treeSize: size };
  }

  @Get('.well-known/pledge-ledger/log-key')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: "The log's Ed25519 public key as a C2SP verifier key (name+id+base64)",
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiReadProblems()
  @ApiOperation({ operationId: 'getLogKey', summary: "The transparency log's public key" })
  async key(): Promise<string> {
    const vkey = await this.log.store.publicKey();
    if (!vkey)
      throw new ProblemException(
        503,
        'no-log-key-yet',
        'Service unavailable',
        'No relay has published its key yet.',
      );
    return `${vkey}\n`;
  }

  @Get('log/proof/inclusion')
  @ApiOkResponse({ type: InclusionProofSchema })
  @ApiReadProblems(400, 404, 422)
  @ApiOperation({
    operationId: 'getInclusionProof',
    summary: 'RFC 9162 inclusion proof of an event (by log index or event id) in a tree size',
  })
  async inclusion(@Query() query: InclusionProofQueryDto) {
    if (query.index === undefined && query.eventId === undefined)
      throw unprocessable('no-event-named', 'index', 'Name the event: index or eventId.');
    const latest = await this.latest();
    const treeSize = query.treeSize ?? latest.size;
    if (treeSize > latest.size)
      throw notYet(`The latest checkpoint has ${latest.size} entries, not ${treeSize}.`);
    const index = query.index ?? (await this.log.store.indexOfEventId(query.eventId!));
    if (index === null) throw notYet(`Event ${query.eventId} is not in the log (yet).`);
    if (index >= treeSize) throw notYet(`Entry ${index} is not in the tree of size ${treeSize}.`);
    const entry = await this.log.store.entryAt(index);
    if (!entry) throw notYet(`Entry ${index} is not in the log.`);
    // Both given: they must name the same entry.
    if (query.eventId !== undefined && entry.eventId !== query.eventId)
      throw notYet(`Entry ${index} is not event ${query.eventId}.`);
    const proofs = this.log.proofs();
    const [proof, root] = await this.proved(() =>
      Promise.all([proofs.inclusion(index, treeSize), proofs.rootHash(treeSize)]),
    );
    return {
      logIndex: index,
      treeSize,
      eventId: entry.eventId,
      eventHash: entry.hash,
      leafHash: leafHash(Buffer.from(entry.hash, 'hex')).toString('hex'),
      rootHash: root.toString('hex'),
      proof: hex(proof),
    };
  }

  @Get('log/proof/consistency')
  @ApiOkResponse({ type: ConsistencyProofSchema })
  @ApiReadProblems(400, 404)
  @ApiOperation({
    operationId: 'getConsistencyProof',
    summary: 'RFC 9162 consistency proof: the tree of size from is a prefix of the tree of size to',
  })
  async consistency(@Query() query: ConsistencyProofQueryDto) {
    const latest = await this.latest();
    const to = query.to ?? latest.size;
    if (to > latest.size) throw notYet(`The latest checkpoint has ${latest.size} entries, not ${to}.`);
    if (query.from > to)
      throw new ProblemException(400, 'invalid-query', 'Invalid query', 'from must not exceed to.', {
        'invalid-params': [{ name: 'from', reason: `not greater than to (${to})` }],
      });
    const proof = await this.proved(() => this.log.proofs().consistency(query.from, to));
    return { from: query.from, to, proof: hex(proof) };
  }

  @Get('pledges/:pledgeId/proof-bundle')
  @ApiPledgeIdParam()
  @ApiOkResponse({ type: ProofBundleSchema })
  @ApiReadProblems(400, 404)
  @ApiOperation({
    operationId: 'getPledgeProofBundle',
    summary:
      "A pledge's events as recorded with an inclusion proof of each in the latest signed checkpoint: what `ledger-verify bundle` checks offline",
  })
  async bundle(@Param('pledgeId', PledgeIdPipe) pledgeId: string) {
    const streamId = pledgeStreamId(pledgeId);
    const events = await this.store.readStream(streamId, { raw: true });
    if (events.length === 0)
      throw new ProblemException(404, 'pledge-not-found', 'Not found', `No pledge has the id ${pledgeId}.`);
    const latest = await this.latest();
    const indexes = await Promise.all(
      events.map((e) => this.log.store.indexOfKey(eventKey(streamId, e.version))),
    );
    const proofs = this.log.proofs();
    const included = events
      .map((event, i) => ({ event, logIndex: indexes[i] }))
      .filter(
        (e): e is { event: (typeof events)[number]; logIndex: number } =>
          e.logIndex !== null && e.logIndex < latest.size,
      );
    const bundled = await this.proved(() =>
      Promise.all(
        included.map(async ({ event, logIndex }) => ({
          logIndex,
          event,
          inclusionProof: hex(await proofs.inclusion(logIndex, latest.size)),
        })),
      ),
    );
    return {
      format: 'pledge-ledger-proof-bundle/v1',
      pledgeId,
      origin: parseCheckpoint(latest.note.slice(0, latest.note.indexOf('\n\n') + 1)).origin,
      checkpoint: latest.note,
      treeSize: latest.size,
      events: bundled,
      pendingEvents: events.length - bundled.length,
    };
  }

  private async proved<T>(compute: () => Promise<T>): Promise<T> {
    try {
      return await compute();
    } catch (error) {
      if (error instanceof TileUnavailableError)
        throw new ProblemException(503, 'log-catching-up', 'Service unavailable', error.message);
      throw error;
    }
  }
}
