/**
 * Who runs a review command: the verified token in DOCKET_TOKEN (or the file --token-file names),
 * checked against DOCKET_AUTH_ISSUER like the API checks it. Never a name typed on the command line.
 */
import fs from 'node:fs';
import { authConfigFrom, authEnvPart } from '../lib/auth/config';
import { hasAnyRole, reviewerIdentity, type Principal, type Role } from '../lib/auth/principal';
import { AuthError, createVerifier } from '../lib/auth/verifier';
import { parseEnv } from '../lib/config';
import type { ReviewerIdentity } from '../lib/contract';

/** No usable identity: no token, a token that does not verify, or the wrong role. */
export class IdentityError extends Error {
  override name = 'IdentityError';
}

export interface IdentityOptions {
  /** A file holding the token (e.g. written by a credential helper); wins over DOCKET_TOKEN. */
  tokenFile?: string;
  /** Roles any one of which the command needs. @default ['reviewer'] */
  roles?: readonly Role[];
}

const howToSignIn =
  'set DOCKET_TOKEN to an access token from your identity provider, or pass --token-file ' +
  '(on the local stack: export DOCKET_TOKEN=$(npm run -s token -- alice))';

/** The verified principal behind the CLI's token; throws IdentityError saying what to do. */
export async function cliPrincipal(
  options: IdentityOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Principal> {
  let token: string | undefined;
  if (options.tokenFile) {
    try {
      token = fs.readFileSync(options.tokenFile, 'utf8').trim();
    } catch (err) {
      throw new IdentityError(
        `cannot read --token-file ${options.tokenFile}: ${(err as NodeJS.ErrnoException).code}`,
      );
    }
  } else {
    token = env.DOCKET_TOKEN?.trim();
  }
  if (!token) throw new IdentityError(`no token: ${howToSignIn}`);
  // A bad DOCKET_AUTH_* setting is a ConfigError, reported as configuration like the others.
  const verifier = createVerifier(authConfigFrom(parseEnv(authEnvPart, env)));
  let principal: Principal;
  try {
    principal = await verifier.verify(token);
  } catch (err) {
    if (err instanceof AuthError) {
      throw new IdentityError(
        `the token is not accepted: ${err.message}${err.unavailable ? '' : `; ${howToSignIn}`}`,
      );
    }
    throw err;
  }
  const allowed = options.roles ?? ['reviewer'];
  if (!hasAnyRole(principal, allowed)) {
    throw new IdentityError(
      `${principal.name} may not do this: it needs the role ${allowed.join(' or ')}, the token grants ${principal.roles.join(', ') || 'no docket role'}`,
    );
  }
  return principal;
}

/** The reviewer identity review commands (approve, reject, correct, claim, release) record. */
export async function cliReviewer(
  options: IdentityOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Required<ReviewerIdentity>> {
  return reviewerIdentity(await cliPrincipal(options, env));
}
