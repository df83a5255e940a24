export type ActorType =
  | 'government'
  | 'private-sector'
  | 'civil-society'
  | 'international-organisation'
  | 'academia'
  | 'multi-stakeholder';

export const ACTOR_TYPES: readonly ActorType[] = Object.freeze([
  'government',
  'private-sector',
  'civil-society',
  'international-organisation',
  'academia',
  'multi-stakeholder',
] as const);

/** The organisation making a pledge. */
export interface Actor {
  id: string;
  name: string;
  type: ActorType;
  /** Home country, ISO 3166-1 alpha-2, uppercase. */
  country: string;
}

export function isActorType(value: unknown): value is ActorType {
  return typeof value === 'string' && (ACTOR_TYPES as readonly string[]).includes(value);
}
