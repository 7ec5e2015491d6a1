import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AllExceptionsFilter } from '../http/all-exceptions.filter';
import { toErrorAnswer } from '../http/error-mapping';
import { PageResponder } from './page-responder';

/**
 * Failures the pages do not show as a form message (a service down, a bug): a page in the reader's
 * language with the status and Retry-After the JSON filter would give, never a stack or a JSON body.
 * A 404 (pages switched off) is left to the JSON filter, so that it reads like any unknown route.
 */
@Catch()
export class HostedPageErrorFilter implements ExceptionFilter {
  private readonly json = new AllExceptionsFilter();

  constructor(private readonly pages: PageResponder) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    if (exception instanceof NotFoundException) return this.json.catch(exception, host);
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Shapes (and logs, for a 500) exactly as the API does; only the presentation differs.
    const { body, headers } = toErrorAnswer(exception);
    const page = this.pages.context(request, reply);
    const key = body.statusCode === HttpStatus.SERVICE_UNAVAILABLE ? 'pages.error.unavailable' : 'pages.error.generic';
    await this.pages.send(
      page,
      body.statusCode,
      'error',
      { title: page.t('pages.error.title'), hasErrors: true },
      { message: page.t(key) },
      headers,
    );
  }
}
