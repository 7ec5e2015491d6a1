import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@customer-access/common';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The OpenAPI document, generated from the controllers' and DTOs' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('customer-access')
    .setDescription(
      'Account recovery for an online store: storefront "Forgot Your Password?", admin-initiated reset and ' +
        '"Force Sign-In". Errors are JSON `{ statusCode, code, message }`; the OAuth routes answer RFC 6749 errors.',
    )
    .setVersion(packageVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Customer access token (storefront) or admin JWT (admin routes).' })
    .addTag('storefront', 'Public routes the storefront calls')
    .addTag('oauth', 'Customer access tokens (RFC 6749 password grant, RFC 7009 revocation)')
    .addTag('admin', 'Admin routes: Bearer admin JWT and a permission')
    .addTag('ops', 'Probes and metrics for the platform team')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/** Swagger UI at /docs and the JSON document at /docs-json (outside /api/v1). */
export function setupOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(DOCS_PATH, app, () => (document ??= buildOpenApiDocument(app)), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'customer-access API',
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true },
  });
}
