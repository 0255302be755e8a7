/*
 * The development OIDC issuer as a process of its own (docker-compose's `auth` service); the local
 * stack runs it inside its launcher instead. Settings: see config.ts (DOCKET_AUTH_HOST, _PORT,
 * _PUBLIC_URL, _AUDIENCE, _CLIENT_ID, _TOKEN_LIFETIME). Development only: it signs in anyone on its
 * user list.
 */
import { devIssuerOptionsFromEnv } from './config';
import { startDevIssuer } from './dev-issuer';

async function main(): Promise<void> {
  let options;
  try {
    options = devIssuerOptionsFromEnv(process.env);
  } catch (err) {
    console.error(`docket dev issuer: ${(err as Error).message}`);
    process.exit(2);
  }
  const issuer = await startDevIssuer(options);
  console.log(
    `docket development issuer ${issuer.issuer} (audience ${issuer.audience}, client ${issuer.clientId})`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void issuer.close().then(() => process.exit(0)));
  }
}

main().catch((err: unknown) => {
  console.error(`docket dev issuer: ${(err as Error).message}`);
  process.exit(1);
});
