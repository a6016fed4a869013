import { deciderSpecification } from '../testing/decider-specification';
import { ctx, fieldCodes, registerSchoolPartnership, schoolPartnershipRegistered } from '../testing/fixtures';
import { schoolDecider } from './school.decider';

const school = deciderSpecification(schoolDecider, ctx);

describe('School decider', () => {
  describe('RegisterSchoolPartnership', () => {
    describe('Rule: a school confirms a partnership with a delivery partner for a cohort year', () => {
      it('registers the partnership of a school with a delivery partner that covers its region', () =>
        school.given([]).when(registerSchoolPartnership()).then([schoolPartnershipRegistered()]));

      it('records the school name without surrounding whitespace', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ name: '  Riverside Primary School ' }))
          .then([schoolPartnershipRegistered({ name: 'Riverside Primary School' })]));
    });

    describe('Rule: the partnership fields are valid', () => {
      it('rejects a URN that is not exactly 6 digits', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ urn: '10001' }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['urn', 'INVALID_URN']])));

      it('rejects a URN with letters in it', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ urn: '10000A' }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['urn', 'INVALID_URN']])));

      it('rejects a school without a name', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ name: '' }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['name', 'REQUIRED']])));

      it('rejects a name that is only whitespace', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ name: '   ' }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['name', 'REQUIRED']])));

      it('rejects a region that is not one of the programme regions', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ region: 'atlantis' }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['region', 'UNKNOWN_REGION']])));

      it('rejects a cohort before the first cohort of the programme (2021)', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ cohort: 2020 }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['cohort', 'INVALID_COHORT']])));

      it('rejects a cohort more than one year ahead of today', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ cohort: 2027 }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['cohort', 'INVALID_COHORT']])));

      it('accepts the first cohort and next year’s cohort', () => {
        school.given([]).when(registerSchoolPartnership({ cohort: 2021 })).then([schoolPartnershipRegistered({ cohort: 2021 })]);
        school.given([]).when(registerSchoolPartnership({ cohort: 2026 })).then([schoolPartnershipRegistered({ cohort: 2026 })]);
      });

      it('rejects a cohort that is not a whole year', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ cohort: 2025.5 }))
          .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['cohort', 'INVALID_COHORT']])));

      it('reports every invalid field at once', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ urn: 'x', name: ' ', region: 'nowhere', cohort: 1999 }))
          .thenRejects('INVALID_INPUT', (error) =>
            expect(fieldCodes(error)).toEqual([
              ['urn', 'INVALID_URN'],
              ['name', 'REQUIRED'],
              ['region', 'UNKNOWN_REGION'],
              ['cohort', 'INVALID_COHORT'],
            ]),
          ));
    });

    describe('Rule: the delivery partner is one of ours and covers the school’s region', () => {
      it('rejects an unknown delivery partner', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ deliveryPartnerId: 'dp-unknown' }))
          .thenRejects('DELIVERY_PARTNER_UNKNOWN', (error) =>
            expect(fieldCodes(error)).toEqual([['deliveryPartnerId', 'UNKNOWN_DELIVERY_PARTNER']]),
          ));

      it('rejects a delivery partner that does not cover the school’s region', () =>
        school
          .given([])
          .when(registerSchoolPartnership({ region: 'london', deliveryPartnerId: 'dp-north' }))
          .thenRejects('REGION_NOT_COVERED'));

      it('rejects a school in the south-west, which no delivery partner covers, pointing to another lead provider', () => {
        for (const deliveryPartnerId of ['dp-north', 'dp-midlands', 'dp-london-se']) {
          school
            .given([])
            .when(registerSchoolPartnership({ region: 'south-west', deliveryPartnerId }))
            .thenRejects('REGION_NOT_COVERED', (error) => expect(error.details.nextStep).toMatch(/another lead provider/));
        }
      });
    });

    describe('Rule: a school has one delivery partner per cohort year', () => {
      it('changes nothing when the same partnership is registered again', () =>
        school.given([schoolPartnershipRegistered()]).when(registerSchoolPartnership()).thenNothingHappens());

      it('rejects another delivery partner for a cohort that already has one, naming the existing partner', () =>
        school
          .given([schoolPartnershipRegistered({ region: 'east-midlands', deliveryPartnerId: 'dp-midlands' })])
          .when(registerSchoolPartnership({ region: 'north-west', deliveryPartnerId: 'dp-north' }))
          .thenRejects('PARTNERSHIP_ALREADY_EXISTS', (error) =>
            expect(error.details.context).toEqual({ deliveryPartnerId: 'dp-midlands' }),
          ));

      it('registers a partnership for another cohort as a new partnership', () =>
        school
          .given([schoolPartnershipRegistered({ cohort: 2024 })])
          .when(registerSchoolPartnership({ cohort: 2025 }))
          .then([schoolPartnershipRegistered({ cohort: 2025 })]));
    });
  });

  describe('evolve', () => {
    it('keeps one delivery partner per cohort year', () => {
      const state = [schoolPartnershipRegistered({ cohort: 2024, deliveryPartnerId: 'dp-north' }), schoolPartnershipRegistered({ cohort: 2025 })].reduce(
        schoolDecider.evolve,
        schoolDecider.initialState(),
      );
      expect(state).toEqual({ exists: true, urn: '100001', name: 'Riverside Primary School', region: 'north-west', partnerships: { 2024: 'dp-north', 2025: 'dp-north' } });
    });
  });
});
