import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Metrics } from '@ecf/runtime/observability';
import { PublicRoute } from '../auth/auth.decorators';
import { MetricsAccessGuard } from './metrics-access.guard';

/** Prometheus's scrape target; outside the rate limit (a scrape answered 429 is a gap in every graph). */
@ApiTags('operations')
@Controller('metrics')
@PublicRoute()
@SkipThrottle()
@UseGuards(MetricsAccessGuard)
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @ApiProduces('text/plain')
  @ApiOperation({
    summary: 'Prometheus metrics: commands, HTTP requests, event-store appends, each projection’s and policy’s position, lag and state, pools, process',
    description: 'Open by default; with METRICS_ACCESS=key, an admin or reporting key. See docs/deploy.md for the metrics by name.',
  })
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    const text = await this.metrics.metrics();
    response.setHeader('Content-Type', this.metrics.contentType);
    response.setHeader('Cache-Control', 'no-store');
    return text;
  }
}
