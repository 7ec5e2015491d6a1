import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorAnswer } from './error-mapping';
import { OAuthError } from './oauth-error';

/** Writes every error answer; what the answer says is decided by error-mapping.ts. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();

    if (exception instanceof OAuthError) {
      void reply
        .status(exception.status)
        .header('cache-control', 'no-store')
        .send({ error: exception.error, error_description: exception.description });
      return;
    }

    const { body, headers } = toErrorAnswer(exception);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    void reply.status(body.statusCode).send(body);
  }
}
