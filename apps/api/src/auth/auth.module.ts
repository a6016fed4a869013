import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '@ecf/runtime';
import { ApiKeyGuard } from './api-key.guard';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { KeyThrottlerGuard } from './key-throttler.guard';

/** Every request's key: identified, then counted against its rate limit; failed authentications limited per address. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        // Order matters: the key is identified first, then counted.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        { provide: AuthFailureLimiter, useValue: new AuthFailureLimiter(config.authFailureLimitPerMinute) },
      ],
      exports: [AuthFailureLimiter],
    };
  }
}
