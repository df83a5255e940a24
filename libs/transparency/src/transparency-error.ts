/** A refusal with a code a caller can act on (and a transport can map), and a message naming what is wrong. */
export class TransparencyError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
    // Keeps `instanceof` true for each subclass whatever the compile target.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
