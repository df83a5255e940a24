import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from '../problem';

export const PledgeIdPipe = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new ProblemException(
      400,
      'invalid-pledge-id',
      'Invalid pledge id',
      'A pledge id is a UUID, e.g. 3f0c1e9a-6f43-4c61-9a55-0f6f7c9d2b11.',
      {
        'invalid-params': [{ name: 'pledgeId', reason: 'not a UUID' }],
      },
    ),
});
