import { SetMetadata } from '@nestjs/common';
import type { UserRole } from '#domain';
import { USER_ROLES } from '#domain';

export const PUBLIC_ROUTE = 'tracker:public';
export const ROUTE_ROLES = 'tracker:roles';
export const DURING_PASSWORD_CHANGE = 'tracker:during-password-change';
export const CARRIES_SECRETS = 'tracker:carries-secrets';

/** No sign-in needed (health, sign-in itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Only these roles may use the route. Others get 403, except partners, who get the same 404 as for an unknown
 * id (no existence leak). Without it, the default policy of the access guard applies.
 */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROUTE_ROLES, roles);

/** Any signed-in user. */
export const SignedIn = (): MethodDecorator & ClassDecorator => Roles(...USER_ROLES);

/** Reachable while a one-time password still has to be changed. */
export const DuringPasswordChange = (): MethodDecorator => SetMetadata(DURING_PASSWORD_CHANGE, true);

/**
 * The request or response carries a secret (a password, a token shown once): neither it nor a fingerprint of its
 * body is stored for Idempotency-Key replay.
 */
export const CarriesSecrets = (): MethodDecorator => SetMetadata(CARRIES_SECRETS, true);
