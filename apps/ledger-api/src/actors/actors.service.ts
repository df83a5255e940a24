import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isCountryCode, Principal } from '@ledger/domain';
import { isDuplicateKeyError } from '@ledger/database';
import { generateApiKey, hashApiKey } from '../auth/api-key';
import { ProblemException } from '../problem';
import { ActorKind, ActorRecord, ActorRepository } from './actor.repository';
import { RegisterOrganisationDto } from './dto/register-organisation.dto';
import { RegisterVerifierDto } from './dto/register-verifier.dto';

export type PublicActor = Omit<ActorRecord, '_id' | 'apiKeyHash'> & { id: string };

export function toPublicActor({ _id, apiKeyHash: _hash, ...rest }: ActorRecord): PublicActor {
  return { id: _id, ...rest };
}

/** Registers organisations and verifiers; each gets an API key that is shown once and stored as a hash. */
@Injectable()
export class ActorsService {
  constructor(private readonly actors: ActorRepository) {}

  async registerOrganisation(dto: RegisterOrganisationDto, admin: Principal) {
    if (!isCountryCode(dto.country)) {
      throw new ProblemException(
        422,
        'invalid-country',
        'The request breaks a rule of the ledger',
        `${dto.country} is not an ISO 3166-1 alpha-2 country code.`,
        {
          'invalid-params': [{ name: '/country', reason: 'not an ISO 3166-1 alpha-2 code' }],
        },
      );
    }
    return this.register(
      'organisation',
      { name: dto.name.trim(), type: dto.type, country: dto.country },
      admin,
    );
  }

  registerVerifier(dto: RegisterVerifierDto, admin: Principal) {
    return this.register('verifier', { name: dto.name.trim() }, admin);
  }

  async rotateKey(id: string): Promise<{ id: string; apiKey: string }> {
    const apiKey = generateApiKey();
    if (!(await this.actors.replaceKeyHash(id, hashApiKey(apiKey), new Date().toISOString()))) {
      throw new ProblemException(
        404,
        'actor-not-found',
        'Not found',
        `No organisation or verifier has the id ${id}.`,
      );
    }
    return { id, apiKey };
  }

  async list(kind: ActorKind): Promise<PublicActor[]> {
    return (await this.actors.list(kind)).map((r) => toPublicActor({ ...r, apiKeyHash: '' }));
  }

  async get(id: string): Promise<PublicActor> {
    const record = await this.actors.findById(id);
    if (!record)
      throw new ProblemException(
        404,
        'actor-not-found',
        'Not found',
        `No organisation or verifier has the id ${id}.`,
      );
    return toPublicActor(record);
  }

  private async register(
    kind: ActorKind,
    fields: Pick<ActorRecord, 'name' | 'type' | 'country'>,
    admin: Principal,
  ): Promise<PublicActor & { apiKey: string }> {
    if (await this.actors.findByKindAndName(kind, fields.name)) {
      throw new ProblemException(
        409,
        'actor-already-registered',
        'Conflict',
        `A ${kind} named "${fields.name}" is already registered.`,
        {
          'invalid-params': [{ name: '/name', reason: 'already registered' }],
        },
      );
    }
    const apiKey = generateApiKey();
    const record: ActorRecord = {
      _id: `${kind === 'organisation' ? 'org' : 'ver'}-${randomUUID()}`,
      kind,
      ...fields,
      apiKeyHash: hashApiKey(apiKey),
      registeredAt: new Date().toISOString(),
      registeredBy: admin.id,
    };
    try {
      await this.actors.insert(record);
    } catch (error) {
      if (isDuplicateKeyError(error)) return this.register(kind, fields, admin);
      throw error;
    }
    return { ...toPublicActor(record), apiKey };
  }
}
