import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal, Role } from '@ledger/domain';

export const ROLES_KEY = 'ledger:roles';

/** Marks a route as a write that needs an API key of one of these roles; routes without it are public reads. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated principal of the request (set by the ApiKeyGuard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a route without @Roles');
  return request.principal;
});
