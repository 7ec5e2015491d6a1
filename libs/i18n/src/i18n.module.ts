import { Global, Module } from '@nestjs/common';
import { Translator } from './translator';

/** Provides the one {@link Translator}; global, since every app and most libs speak to people. */
@Global()
@Module({
  providers: [{ provide: Translator, useFactory: () => new Translator() }],
  exports: [Translator],
})
export class I18nModule {}
