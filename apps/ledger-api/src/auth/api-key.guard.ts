import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Principal, Role } from '@ledger/domain';
import { LedgerConfig } from '@ledger/config';
import { ActorRepository, toActor } from '../actors/actor.repository';
import { ProblemException } from '../problem';
import { apiKeyFromHeaders, hashApiKey, sameHash } from './api-key';
import { ROLES_KEY } from './roles.decorator';

/**
 * Authenticates writes by API key: 401 when the key is missing or unknown, 403 when the key is valid but
 * its role may not use the route. Which pledge an organisation may write is the domain's rule.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly adminKeyHash?: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly actors: ActorRepository,
    config: LedgerConfig,
  ) {
    this.adminKeyHash = config.ADMIN_API_KEY ? hashApiKey(config.ADMIN_API_KEY) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: Principal }>();
    const credential = apiKeyFromHeaders(request.headers);
    if ('refused' in credential) {
      throw new ProblemException(
        401,
        'unauthenticated',
        'Authentication required',
        `The credential was refused: ${credential.refused}.`,
        {
          'invalid-params': [{ name: 'Authorization', reason: credential.refused }],
        },
      );
    }
    if ('missing' in credential) {
      throw new ProblemException(
        401,
        'unauthenticated',
        'Authentication required',
        'Send your API key as "Authorization: Bearer <key>".',
        {
          'invalid-params': [{ name: 'Authorization', reason: 'missing' }],
        },
      );
    }
    const principal = await this.principalFor(hashApiKey(credential.key));
    if (!principal) {
      throw new ProblemException(
        401,
        'unauthenticated',
        'Authentication required',
        'The API key is not valid.',
        {
          'invalid-params': [{ name: 'Authorization', reason: 'unknown or revoked API key' }],
        },
      );
    }
    if (!roles.includes(principal.role)) {
      throw new ProblemException(
        403,
        'role-not-allowed',
        'Not allowed',
        `This action needs the role ${roles.join(' or ')}; the API key belongs to a ${principal.role}.`,
      );
    }
    request.principal = principal;
    return true;
  }

  private async principalFor(keyHash: string): Promise<Principal | undefined> {
    if (this.adminKeyHash && sameHash(keyHash, this.adminKeyHash)) {
      return { id: 'admin', role: 'admin', name: 'Ledger administrator' };
    }
    const record = await this.actors.findByKeyHash(keyHash);
    if (!record) return undefined;
    return record.kind === 'organisation'
      ? { id: record._id, role: 'organisation', name: record.name, actor: toActor(record) }
      : { id: record._id, role: 'verifier', name: record.name };
  }
}
