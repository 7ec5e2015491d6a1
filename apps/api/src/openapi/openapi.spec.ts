import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Messages } from '@customer-access/common';
import { ApiModule } from '../api.module';
import { configureApiApp, GLOBAL_PREFIX, UNPREFIXED_ROUTES } from '../app-setup';
import { buildOpenApiDocument } from './openapi';

interface ControllerRoute {
  controller: string;
  handler: string;
  method: string;
  /** OpenAPI spelling: /api/v1/admin/customers/{id} */
  path: string;
}

/** @nestjs/swagger's metadata key of @ApiExcludeController (its constants are not exported). */
const API_EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';

const join = (...parts: string[]) => `/${parts.join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');

/**
 * Every route of every API controller Nest registered (storefront, admin, ops), read from Nest's own
 * routing metadata, with the global prefix applied exactly as app-setup.ts applies it.
 */
function controllerRoutes(app: NestFastifyApplication): ControllerRoute[] {
  const container = (
    app as unknown as {
      container: { getModules(): Map<string, { controllers: Map<unknown, { metatype: abstract new (...args: never[]) => unknown }> }> };
    }
  ).container;
  const routes: ControllerRoute[] = [];
  for (const module of container.getModules().values()) {
    for (const { metatype } of module.controllers.values()) {
      // HTML pages (@ApiExcludeController) are described in docs/api.md, not in the JSON API's document.
      if (Reflect.getMetadata(API_EXCLUDE_CONTROLLER, metatype)?.[0] === true) continue;
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, metatype) ?? '/');
      const names = new Set<string>();
      for (let p = metatype.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
        for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor') names.add(n);
      }
      for (const name of names) {
        const handler = Object.getOwnPropertyDescriptor(metatype.prototype, name)?.value ?? metatype.prototype[name];
        if (typeof handler !== 'function') continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (requestMethod === undefined) continue;
        for (const base of bases) {
          for (const sub of ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler) ?? '/')) {
            const unprefixed = join(base, sub);
            const excluded = UNPREFIXED_ROUTES.some(
              (r) => join(r.path) === unprefixed && (r.method === RequestMethod.ALL || r.method === requestMethod),
            );
            const full = excluded ? unprefixed : join(GLOBAL_PREFIX, unprefixed);
            routes.push({
              controller: metatype.name,
              handler: name,
              method: RequestMethod[requestMethod].toLowerCase(),
              path: full.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
            });
          }
        }
      }
    }
  }
  return routes;
}

describe('OpenAPI document (/docs-json)', () => {
  let app: NestFastifyApplication;
  let document: OpenAPIObject;
  let routes: ControllerRoute[];

  beforeAll(async () => {
    // Preview: the module graph without instantiating providers (no database, no Redis).
    app = await NestFactory.create<NestFastifyApplication>(ApiModule, new FastifyAdapter(), { preview: true, logger: false });
    configureApiApp(app);
    document = buildOpenApiDocument(app);
    routes = controllerRoutes(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('finds the controllers of every area through Nest metadata', () => {
    const controllers = new Set(routes.map((r) => r.controller));
    for (const name of ['CustomersController', 'PasswordResetController', 'OAuthController', 'HealthController', 'MetricsController']) {
      expect(controllers).toContain(name);
    }
    expect(routes.some((r) => r.path.startsWith('/api/v1/admin/'))).toBe(true);
  });

  const missingFrom = (doc: OpenAPIObject) =>
    routes
      .filter((r) => !doc.paths[r.path]?.[r.method as 'get'])
      .map((r) => `${r.method.toUpperCase()} ${r.path} (${r.controller}.${r.handler})`);

  it('documents every controller route, admin ones included, under its real path and method', () => {
    expect(missingFrom(document)).toEqual([]);
  });

  it('would notice a route left out of the document', () => {
    const { ['/api/v1/admin/audit-events']: _dropped, ...paths } = document.paths;
    expect(missingFrom({ ...document, paths })).toEqual([expect.stringMatching(/^GET \/api\/v1\/admin\/audit-events /)]);
  });

  it('documents nothing that is not served', () => {
    const served = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const extra = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .filter((m) => !served.has(`${m} ${path}`))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(extra).toEqual([]);
  });

  it('keeps probes and metrics outside /api/v1', () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics']));
    expect(document.paths['/api/v1/health/live']).toBeUndefined();
  });

  /** code -> example messages of one response of one operation. */
  function errorExamples(path: string, method: 'get' | 'post', status: number): Record<string, string> {
    const response = (document.paths[path][method]!.responses as Record<string, any>)[String(status)];
    expect(response).toBeDefined();
    const examples = response.content['application/json'].examples as Record<
      string,
      { value: { code: string; message: string; statusCode: number } }
    >;
    const out: Record<string, string> = {};
    for (const { value } of Object.values(examples)) {
      expect(value.statusCode).toBe(status);
      out[value.code] = value.message;
    }
    return out;
  }

  it('names every storefront error code of docs/api.md with its exact message', () => {
    const forgot = '/api/v1/customers/password/forgot';
    expect(document.paths[forgot].post!.responses['202']).toBeDefined();
    expect(errorExamples(forgot, 'post', 400)).toHaveProperty('VALIDATION');
    expect(errorExamples(forgot, 'post', 429)).toEqual({ RESET_RATE_LIMITED: Messages.resetRateLimited('support@example.com') });
    expect((document.paths[forgot].post!.responses['429'] as any).headers).toHaveProperty('Retry-After');

    expect(errorExamples('/api/v1/customers/password/reset/validate', 'post', 400)).toMatchObject({
      RESET_TOKEN_INVALID: Messages.resetTokenInvalid,
      RESET_TOKEN_EXPIRED: Messages.resetTokenExpired,
    });
    expect(errorExamples('/api/v1/customers/password/reset', 'post', 400)).toMatchObject({
      PASSWORD_POLICY: expect.any(String),
      PASSWORD_MISMATCH: Messages.passwordMismatch,
      RESET_TOKEN_INVALID: Messages.resetTokenInvalid,
      RESET_TOKEN_EXPIRED: Messages.resetTokenExpired,
    });
    expect(errorExamples('/api/v1/customers', 'post', 400)).toMatchObject({
      VALIDATION: expect.any(String),
      PASSWORD_POLICY: expect.any(String),
    });
    expect(errorExamples('/api/v1/customers', 'post', 409)).toEqual({ EMAIL_TAKEN: Messages.emailTaken });
    expect(document.paths['/api/v1/customers/me'].get!.responses['401']).toBeDefined();
    expect(JSON.stringify(document.paths['/api/v1/oauth/token'].post!.responses['400'])).toContain('invalid_grant');
  });

  it('documents the Store header and its 400 STORE_UNKNOWN on every storefront route', () => {
    const storefront = Object.entries(document.paths).filter(([p]) => /^\/api\/v1\/(customers|oauth)(\/|$)/.test(p));
    const seen: string[] = [];
    for (const [path, item] of storefront) {
      for (const [method, op] of Object.entries(item).filter(([, o]) => o && typeof o === 'object' && 'responses' in o) as Array<
        [string, any]
      >) {
        seen.push(`${method} ${path}`);
        const header = (op.parameters ?? []).find((p: any) => p.in === 'header' && p.name === 'Store');
        expect({ route: `${method} ${path}`, header: header && { required: header.required, pattern: header.schema?.pattern } }).toEqual({
          route: `${method} ${path}`,
          header: { required: false, pattern: '^[a-z][a-z0-9_]{0,31}$' },
        });
        const examples = op.responses['400']?.content?.['application/json']?.examples ?? {};
        expect({ route: `${method} ${path}`, unknown: examples.STORE_UNKNOWN?.value }).toEqual({
          route: `${method} ${path}`,
          unknown: { statusCode: 400, code: 'STORE_UNKNOWN', message: Messages.storeUnknown },
        });
      }
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'post /api/v1/customers',
        'get /api/v1/customers/me',
        'post /api/v1/customers/password/forgot',
        'post /api/v1/oauth/token',
      ]),
    );
  });

  it('describes the storefront bodies with examples and the success messages', () => {
    const schemas = document.components!.schemas as Record<string, any>;
    expect(Object.keys(schemas.ResetPasswordDto.properties)).toEqual(['token', 'password', 'passwordConfirmation']);
    expect(schemas.ForgotPasswordDto.properties.email.example).toBeDefined();
    expect(schemas.PasswordUpdatedDto.properties.message.example).toBe(Messages.passwordUpdated);
    expect(schemas.ErrorResponseDto.properties.code.enum ?? schemas.ErrorCode?.enum).toBeDefined();
    for (const [path, item] of Object.entries(document.paths).filter(([p]) => !p.startsWith('/api/v1/admin'))) {
      for (const op of Object.values(item).filter((o: any) => o && typeof o === 'object' && 'responses' in o) as any[]) {
        expect({ path, summary: typeof op.summary }).toEqual({ path, summary: 'string' });
      }
    }
  });
});
