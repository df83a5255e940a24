import { Query, QueryHandler, IQueryHandler } from '@nestjs/cqrs';
import { DomainError, DomainErrorCode, PledgeState } from '@ledger/domain';
import { PledgeRepository } from '../pledge.repository';

export interface PledgeAtVersion {
  state: PledgeState;
}

/** A pledge folded from its recorded events, optionally only up to a version (its terms as they were then). */
export class GetPledgeQuery extends Query<PledgeAtVersion> {
  constructor(
    readonly pledgeId: string,
    readonly toVersion?: number,
  ) {
    super();
  }
}

@QueryHandler(GetPledgeQuery)
export class GetPledgeHandler implements IQueryHandler<GetPledgeQuery, PledgeAtVersion> {
  constructor(private readonly pledges: PledgeRepository) {}

  async execute({ pledgeId, toVersion }: GetPledgeQuery): Promise<PledgeAtVersion> {
    const result = await this.pledges.load(pledgeId, toVersion, { fresh: true });
    if (!result.state.exists)
      throw new DomainError(DomainErrorCode.PledgeNotFound, `No pledge has the id ${pledgeId}.`);
    return result;
  }
}
