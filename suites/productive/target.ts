import { conformanceTarget, credential, type ConformanceTarget, type TwoTenants } from '../support/target.ts';

/** Organization 572's headers, organization 573's (otherHeaders), and records of 572 a price refers to. */
export interface ProductiveCredentials extends TwoTenants {
  companyId: string;
  serviceTypeId: string;
  personId: string;
}

/**
 * The Productive target with its credentials: the fixtures' by default, or PRODUCTIVE_TOKEN,
 * PRODUCTIVE_ORGANIZATION_ID, PRODUCTIVE_OTHER_TOKEN, PRODUCTIVE_OTHER_ORGANIZATION_ID, PRODUCTIVE_COMPANY_ID,
 * PRODUCTIVE_SERVICE_TYPE_ID and PRODUCTIVE_PERSON_ID for a real backend.
 */
export async function productiveTarget(): Promise<{ target: ConformanceTarget; credentials: ProductiveCredentials }> {
  const credentials: ProductiveCredentials = {
    headers: {
      'X-Auth-Token': credential('PRODUCTIVE_TOKEN', 'productive-test-token'),
      'X-Organization-Id': credential('PRODUCTIVE_ORGANIZATION_ID', '572'),
    },
    otherHeaders: {
      'X-Auth-Token': credential('PRODUCTIVE_OTHER_TOKEN', 'productive-other-token'),
      'X-Organization-Id': credential('PRODUCTIVE_OTHER_ORGANIZATION_ID', '573'),
    },
    companyId: credential('PRODUCTIVE_COMPANY_ID', '1926'),
    serviceTypeId: credential('PRODUCTIVE_SERVICE_TYPE_ID', '107'),
    personId: credential('PRODUCTIVE_PERSON_ID', '1457'),
  };
  return { target: await conformanceTarget('productive'), credentials };
}
