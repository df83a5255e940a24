import type { ActionCatalogue } from './action-frameworks';
import type { Actor } from './actor';

export type Role = 'organisation' | 'verifier' | 'admin';

export const ROLES: readonly Role[] = Object.freeze(['organisation', 'verifier', 'admin'] as const);

/** Who is calling, as established by authentication; never taken from a command body. */
export interface Principal {
  id: string;
  role: Role;
  name: string;
  /** Present for role 'organisation': the actor it writes for. */
  actor?: Actor;
}

/** Everything a decision depends on besides the command and state, so `decide` stays deterministic. */
export interface DecisionContext {
  now: Date;
  principal: Principal;
  catalogue: ActionCatalogue;
}
