/** Another writer appended to the stream first: the caller's view of it is stale. */
export class ExpectedVersionConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, not the expected ${expectedVersion}`);
    this.name = 'ExpectedVersionConflictError';
  }
}
