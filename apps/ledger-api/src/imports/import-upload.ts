import type { FastifyInstance } from 'fastify';
import { ProblemException } from '../problem';
import type { ImportFormat } from './import-file';

/** The media types of an import file, and the format each names. */
export const IMPORT_MEDIA_TYPES: Readonly<Record<string, ImportFormat>> = {
  'text/csv': 'csv',
  'application/jsonl': 'jsonl',
  'application/x-ndjson': 'jsonl',
  'application/x-jsonlines': 'jsonl',
};

export const IMPORT_PATH = '/imports';

/** The format a Content-Type names (parameters such as charset=utf-8 aside), if it is an import file's. */
export function importFormatOf(contentType: string | undefined): ImportFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return IMPORT_MEDIA_TYPES[type];
}

/**
 * Import files reach POST /imports as the request stream itself, unparsed and unbuffered: the handler spools
 * it to disk with its own size limit (IMPORT_MAX_BYTES). On any other route these types stay 415.
 */
export function acceptImportUploads(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(Object.keys(IMPORT_MEDIA_TYPES), (request, payload, done) => {
    if (request.url.split('?')[0] !== IMPORT_PATH)
      return done(
        new ProblemException(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          `${request.headers['content-type']} is taken only by POST ${IMPORT_PATH}; this operation takes application/json.`,
        ),
        undefined,
      );
    done(null, payload);
  });
}
