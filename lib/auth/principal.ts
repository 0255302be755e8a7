/**
 * Who a verified token says the caller is, and what they may do. Roles come from a token claim
 * (DOCKET_AUTH_ROLES_CLAIM) through a configured map of claim values to docket's three roles.
 */
import type { ReviewerIdentity } from '../contract';

/** docket's kinds of users: who starts documents, who reviews them, who runs the system. */
export const Role = { submitter: 'submitter', reviewer: 'reviewer', operator: 'operator' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const roles: readonly Role[] = Object.values(Role);

/** The caller, from a verified token. */
export interface Principal {
  /** The token's subject (OIDC `sub`): stable, never a typed name. */
  subject: string;
  /** For people to read: `name`, else `preferred_username`, else `email`, else the subject. */
  name: string;
  roles: Role[];
}

/** Claim values that grant each role, e.g. `{ reviewer: ['docket-reviewers'] }`. */
export type RoleMap = Record<Role, readonly string[]>;

/** The identity review actions record: the token's name and subject, never typed input. */
export function reviewerIdentity(principal: Principal): Required<ReviewerIdentity> {
  return { reviewer: principal.name, reviewerId: principal.subject };
}

/** True when the principal holds at least one of `allowed`. */
export function hasAnyRole(principal: Principal, allowed: readonly Role[]): boolean {
  return allowed.some((r) => principal.roles.includes(r));
}

/**
 * Parses `reviewer=docket-reviewers,operator=docket-operators|admins,submitter=docket-submitters`:
 * a role may be granted by several values (separated by `|`), and a role may be absent (nobody
 * holds it). Throws naming what is wrong.
 */
export function parseRoleMap(text: string): RoleMap {
  const map: Record<Role, string[]> = { submitter: [], reviewer: [], operator: [] };
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const role = entry.slice(0, eq).trim();
    const values = entry
      .slice(eq + 1)
      .split('|')
      .map((v) => v.trim())
      .filter(Boolean);
    if (eq <= 0 || values.length === 0) {
      throw new Error(`'${entry}' is not role=claim-value (e.g. reviewer=docket-reviewers)`);
    }
    if (!(roles as readonly string[]).includes(role)) {
      throw new Error(`'${role}' is not a role; roles are ${roles.join(', ')}`);
    }
    map[role as Role].push(...values);
  }
  if (roles.every((r) => map[r].length === 0)) throw new Error('maps no claim value to any role');
  return map;
}

/** The roles a claim grants: the claim may be an array of strings or a space/comma-separated string. */
export function rolesFromClaim(claim: unknown, map: RoleMap): Role[] {
  const values = new Set(
    Array.isArray(claim)
      ? claim.filter((v): v is string => typeof v === 'string')
      : typeof claim === 'string'
        ? claim.split(/[\s,]+/).filter(Boolean)
        : [],
  );
  return roles.filter((role) => map[role].some((v) => values.has(v)));
}

/** The display name per {@link Principal.name}. */
export function displayName(claims: Record<string, unknown>, subject: string): string {
  for (const key of ['name', 'preferred_username', 'email']) {
    const v = claims[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return subject;
}
