import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyReply } from 'fastify';
import { HASH_SIZE, parseTilePath, TILE_WIDTH, TilePathError } from '@ledger/transparency';
import { entryBundleKey, hashTileKey } from '@ledger/transparency-log';
import { PROBLEM_CONTENT_TYPE, problemType } from '../problem';
import { TransparencyLog } from './transparency-log.service';

/** An entry bundle as C2SP tlog-tiles lays it out: each entry a big-endian uint16 length, then its bytes. */
function entryBundle(hashes: Buffer): Buffer {
  const out = Buffer.alloc((hashes.length / HASH_SIZE) * (2 + HASH_SIZE));
  for (let i = 0, o = 0; i < hashes.length; i += HASH_SIZE, o += 2 + HASH_SIZE) {
    out.writeUInt16BE(HASH_SIZE, o);
    hashes.copy(out, o + 2, i, i + HASH_SIZE);
  }
  return out;
}

/**
 * The log's tiles as static files (C2SP tlog-tiles): `/log/tile/<L>/<N>[.p/<W>]` hash tiles and
 * `/log/tile/entries/<N>[.p/<W>]` entry bundles (the events' SHA-256 hashes). A tile of a given path never
 * changes, full or partial, so every answer may be cached for good: a mirror or CDN can serve them and a
 * verifier that computes its own proofs from them needs nothing else from this process.
 *
 * Plain Fastify routes (a tile path has a variable number of segments), outside the OpenAPI document.
 */
@Injectable()
export class LogTilesRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly log: TransparencyLog,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get('/log/tile/*', async (request, reply) => {
      const path = `tile/${(request.params as { '*': string })['*']}`;
      const entries = path.startsWith('tile/entries/');
      let tile;
      try {
        tile = parseTilePath(entries ? path.replace('tile/entries/', 'tile/0/') : path);
      } catch (error) {
        if (error instanceof TilePathError) {
          // An entry bundle's path is parsed as a level-0 tile's: name it as asked.
          const detail = entries ? `${JSON.stringify(path)} is not tile/entries/<N>[.p/<W>]` : error.message;
          return this.problem(reply, 400, 'invalid-tile-path', detail);
        }
        throw error;
      }
      const stored = await this.log.store.readTile(
        entries ? entryBundleKey(tile.index) : hashTileKey(tile.level, tile.index),
      );
      if (!stored || stored.length < tile.width * HASH_SIZE)
        return this.problem(reply, 404, 'tile-not-found', `The log has no ${path} (yet).`);
      const hashes = stored.subarray(0, tile.width * HASH_SIZE);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-ledger-tile-width', String(tile.width === TILE_WIDTH ? TILE_WIDTH : tile.width))
        .send(entries ? entryBundle(hashes) : hashes);
    });
  }

  private problem(reply: FastifyReply, status: number, code: string, detail: string) {
    return reply
      .status(status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header('cache-control', 'no-cache')
      .send({
        type: problemType(code),
        title: status === 404 ? 'Not found' : 'Bad request',
        status,
        detail,
        code,
      });
  }
}
