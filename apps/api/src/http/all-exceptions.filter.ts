import { ArgumentsHost, Catch, ExceptionFilter, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorAnswer } from './error-mapping';
import { MessageLanguage } from './message-language';
import { OAuthError } from './oauth-error';

/**
 * Writes every error answer; what the answer says is decided by error-mapping.ts, and in which
 * language (storefront routes, Accept-Language) by MessageLanguage. Without a MessageLanguage (the
 * queue dashboard's hook builds one of these by hand) messages stay English.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Optional() private readonly language?: MessageLanguage) {}

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
    if (this.language) body.message = this.language.errorMessage(host.switchToHttp().getRequest<FastifyRequest>(), exception, body);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    void reply.status(body.statusCode).send(body);
  }
}
