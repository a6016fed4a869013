import { Controller, Get, Inject, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { DECLARATION_TYPES, DeclarationType, DecisionContext, paymentStateOn } from '@ecf/domain';
import { allPaymentReportValues, liveTables, PARTICIPANT_PROGRAMME_PROJECTION, participantSummaryProjection, paymentEligibilityReport, PaymentReportRow, ReadModelDatabase } from '@ecf/projections';
import { csvHeader, csvLines, type Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from '../auth/auth.decorators';
import { SEES_PERSONAL_DATA } from '../auth/permissions';
import { streamedBody } from '../http/streamed-body';
import { paymentReportCsv, paymentReportCsvColumns } from './payment-report-csv';
import { DECISION_CONTEXT, READ_MODEL_DB } from '../infrastructure/tokens';

const JSON_PAGE_SIZE = 1000;

export class PaymentReportQueryDto {
  @ApiPropertyOptional({ enum: DECLARATION_TYPES, description: 'The payment window (milestone)' })
  @IsOptional()
  @IsIn(DECLARATION_TYPES)
  window?: DeclarationType;

  @ApiPropertyOptional({ example: 'dp-north' })
  @IsOptional()
  @MaxLength(100)
  @Matches(/^[a-z0-9-]+$/, { message: 'deliveryPartner must be a delivery partner id' })
  deliveryPartner?: string;

  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2020)
  @Max(2100)
  cohort?: number;

  @ApiPropertyOptional({ description: 'Only eligible (true) or not eligible (false) rows' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  eligible?: boolean;

  @ApiPropertyOptional({ enum: ['json', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ description: 'Cursor: the next of the previous page' })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}~\d{1,2}$/, { message: 'after must be the next cursor of a previous page' })
  after?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10000,
    description: `Rows per page: ${JSON_PAGE_SIZE} by default for JSON. A CSV without a limit is every row in scope, streamed as one response.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}

export class PaymentReportItem {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty({ enum: ['ect', 'mentor'] }) participantType!: string;
  @ApiProperty() schoolUrn!: string;
  @ApiProperty() cohort!: number;
  @ApiProperty({ nullable: true }) deliveryPartnerId!: string | null;
  @ApiProperty() declarationType!: string;
  @ApiProperty({ format: 'date' }) windowStart!: string;
  @ApiProperty({ format: 'date', nullable: true }) windowEnd!: string | null;
  @ApiProperty({ format: 'date' }) paymentDate!: string;
  @ApiProperty() eligible!: boolean;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['eligible', 'not-eligible', 'window-not-open', 'window-open'] }) state!: string;
  @ApiProperty({ format: 'date', nullable: true }) declarationDate!: string | null;
  @ApiProperty({ nullable: true }) courseIdentifier!: string | null;
  @ApiProperty({ nullable: true }) evidenceHeld!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Only for roles that see personal data; null once erased' }) firstName?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Only for roles that see personal data; null once erased' }) lastName?: string | null;
}

export class PaymentReportPage {
  @ApiProperty({ format: 'date' }) asOf!: string;
  @ApiProperty({ type: [PaymentReportItem], description: 'By participant, each participant’s windows in their schedule’s order (started, retained 1–4, completed, then any extended ones)' })
  items!: PaymentReportItem[];
  @ApiProperty({ nullable: true, description: 'Pass as ?after= for the next page; null on the last page' }) next!: string | null;
}

export class DeclarationsExportQueryDto {
  @ApiPropertyOptional({ enum: DECLARATION_TYPES })
  @IsOptional()
  @IsIn(DECLARATION_TYPES)
  window?: DeclarationType;

  @ApiPropertyOptional({ example: 'dp-north' })
  @IsOptional()
  @MaxLength(100)
  deliveryPartner?: string;

  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2020)
  @Max(2100)
  cohort?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Cursor: the participant id of the last declaration of the previous page' })
  @IsOptional()
  @IsUUID()
  after?: string;
}

/** A CSV row: every column present, a withheld name an empty cell. */
const csvRecord = (item: PaymentReportItem) => ({ ...item, firstName: item.firstName ?? null, lastName: item.lastName ?? null });

/** A page of the report as CSV: the header, then one line per item. */
export const paymentReportCsvPage = (items: readonly PaymentReportItem[], showPersonal: boolean): string =>
  csvHeader(paymentReportCsvColumns(showPersonal)) + csvLines(items.map(csvRecord), paymentReportCsvColumns(showPersonal));

export const toItem = (row: PaymentReportRow, today: string, showPersonal: boolean): PaymentReportItem => ({
  participantId: row.participantId,
  participantType: row.participantType,
  schoolUrn: row.schoolUrn,
  cohort: row.cohort,
  deliveryPartnerId: row.deliveryPartnerId,
  declarationType: row.declarationType,
  windowStart: row.windowStart,
  windowEnd: row.windowEnd,
  paymentDate: row.paymentDate,
  eligible: row.eligible,
  reason: row.reason,
  state: paymentStateOn(row, today),
  declarationDate: row.declaration?.declarationDate ?? null,
  courseIdentifier: row.declaration?.courseIdentifier ?? null,
  evidenceHeld: row.declaration?.evidenceHeld ?? null,
  ...(showPersonal ? { firstName: row.firstName, lastName: row.lastName } : {}),
});

const CSV_TYPE = 'text/csv; charset=utf-8';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase,
    @Inject(DECISION_CONTEXT) private readonly context: () => DecisionContext,
  ) {}

  @Get('payment-eligibility')
  @RequiresPermission('ReadPaymentReports')
  @ApiOperation({
    summary: 'Payment eligibility of every participant in scope × milestone, from the read models; JSON pages or CSV',
    description:
      'Filter by window (milestone), delivery partner, cohort and eligibility. JSON (and CSV with a limit) comes in keyset pages: ?after=<next>, '
      + 'and for CSV a Link rel="next" header. CSV without a limit is every row in scope in one streamed response. Rows come by participant, '
      + 'each participant’s windows in their schedule’s order. Roles that see personal data also get firstName and lastName (the last two CSV columns).',
  })
  @ApiResponse({ status: 200, type: PaymentReportPage })
  @ApiProduces('application/json', 'text/csv')
  async paymentEligibility(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaymentReportQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PaymentReportPage | string | StreamableFile> {
    const { today } = this.context();
    const showPersonal = SEES_PERSONAL_DATA.includes(principal.role);
    const [participantId, ordinal] = query.after?.split('~') ?? [];
    const filter = {
      declarationType: query.window,
      deliveryPartnerId: principal.role === 'ecf-lead' ? (principal.deliveryPartnerId ?? '') : query.deliveryPartner,
      cohort: query.cohort,
      eligible: query.eligible,
      after: participantId === undefined ? undefined : { participantId, ordinal: Number(ordinal) },
    };
    const tables = await this.tables();
    const filename = `payment-eligibility-${query.window ?? 'all'}-${today}.csv`;
    if (query.format === 'csv' && query.limit === undefined) {
      const csv = paymentReportCsv(allPaymentReportValues(this.readModels, tables, filter), today, showPersonal);
      return new StreamableFile(streamedBody(csv, request, response), { type: CSV_TYPE, disposition: `attachment; filename="${filename}"` });
    }
    const limit = query.limit ?? JSON_PAGE_SIZE;
    const rows = await paymentEligibilityReport(this.readModels, tables, { ...filter, limit: limit + 1 });
    const shown = rows.slice(0, limit);
    const page = shown.map((row) => toItem(row, today, showPersonal));
    const last = shown.at(-1);
    const next = rows.length > limit && last ? `${last.participantId}~${last.ordinal}` : null;
    if (query.format !== 'csv') return { asOf: today, items: page, next };
    response.setHeader('Content-Type', CSV_TYPE);
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    if (next) response.setHeader('Link', `<?after=${encodeURIComponent(next)}>; rel="next"`);
    return paymentReportCsvPage(page, showPersonal);
  }

  @Get('declarations')
  @RequiresPermission('ReadPaymentReports')
  @ApiOperation({
    summary: 'The declarations the lead provider would submit, in the DfE lead-provider API’s request shape',
    description: 'One `{ data: { type: "participant-declaration", attributes } }` body per eligible milestone, ready for POST /api/v3/participant-declarations.',
  })
  async declarations(@CurrentPrincipal() principal: Principal, @Query() query: DeclarationsExportQueryDto) {
    const rows = await paymentEligibilityReport(this.readModels, await this.tables(), {
      declarationType: query.window,
      deliveryPartnerId: principal.role === 'ecf-lead' ? (principal.deliveryPartnerId ?? '') : query.deliveryPartner,
      cohort: query.cohort,
      eligible: true,
      after: query.after === undefined ? undefined : { participantId: query.after },
      limit: 10_000,
    });
    return {
      declarations: rows.flatMap(({ declaration }) =>
        declaration === null
          ? []
          : [{
              data: {
                type: 'participant-declaration',
                attributes: {
                  participant_id: declaration.participantId,
                  declaration_type: declaration.declarationType,
                  // DfE wants RFC 3339; the engagement's day at noon UTC keeps it on that day in England.
                  declaration_date: `${declaration.declarationDate}T12:00:00Z`,
                  course_identifier: declaration.courseIdentifier,
                  evidence_held: declaration.evidenceHeld,
                },
              },
            }],
      ),
    };
  }

  private async tables() {
    return {
      programme: await liveTables(this.readModels, PARTICIPANT_PROGRAMME_PROJECTION),
      summary: await liveTables(this.readModels, participantSummaryProjection.name),
    };
  }
}
