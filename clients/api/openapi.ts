/**
 * Builds the OpenAPI 3.1 document from the routes as fastify registers them (their JSON schemas and
 * summaries), so every route is documented exactly as it is validated.
 */
import type { RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** One line for the OpenAPI document. */
    summary?: string;
  }
}

type Schema = Record<string, unknown>;

/** A route as the OpenAPI builder needs it. */
export interface DocumentedRoute {
  method: string;
  url: string;
  summary?: string;
  schema?: RouteOptions['schema'];
  /** Roles any one of which the route requires; absent for a public route. */
  roles?: readonly string[];
}

/** The OpenAPI document for `routes`; `schemas` are shared schemas referenced as `Name#`. */
export function openApiDocument(
  routes: readonly DocumentedRoute[],
  schemas: readonly (Schema & { $id: string })[],
  info: { title: string; version: string },
): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    if (route.method === 'HEAD') continue; // fastify adds HEAD for every GET
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const schema = (route.schema ?? {}) as Record<string, Schema | undefined>;
    const parameters = [...parametersOf(schema.params, 'path'), ...parametersOf(schema.querystring, 'query')];
    const responses: Record<string, Schema> = {};
    for (const [code, body] of Object.entries((schema.response ?? {}) as Record<string, Schema>)) {
      const description = code.startsWith('2') ? 'success' : 'error';
      const byType = body.content as Record<string, { schema: Schema }> | undefined;
      // A response given per content type (fastify's `content` form) keeps its types; others are JSON.
      responses[code] = byType
        ? {
            description: typeof body.description === 'string' ? body.description : description,
            content: Object.fromEntries(
              Object.entries(byType).map(([type, c]) => [type, { schema: toRefs(c.schema) }]),
            ),
          }
        : { description, content: { 'application/json': { schema: toRefs(body) } } };
    }
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        ...(route.summary ? { summary: route.summary } : {}),
        // A public route overrides the document-wide requirement with none.
        security: route.roles ? [{ bearer: [] }, { session: [] }] : [],
        ...(route.roles ? { 'x-docket-roles': route.roles } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(schema.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    security: [{ bearer: [] }, { session: [] }],
    components: {
      schemas: Object.fromEntries(schemas.map(({ $id, ...rest }) => [$id, rest])),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "An OIDC access token from docket's issuer (DOCKET_AUTH_ISSUER)",
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'docket_session',
          description: 'Set by the browser sign-in at /auth/login',
        },
      },
    },
  };
}

function parametersOf(schema: Schema | undefined, where: 'path' | 'query'): Schema[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

/** fastify's `Name#` references become OpenAPI component references. */
function toRefs(schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === 'string' && ref.endsWith('#')
    ? { $ref: `#/components/schemas/${ref.slice(0, -1)}` }
    : schema;
}
