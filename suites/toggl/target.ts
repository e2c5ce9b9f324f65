import { beforeAll, beforeEach, expect } from 'vitest';
import {
  closedAfterFile,
  conformanceTarget,
  credential,
  sharedVendorDocument,
  targetIsStandin,
  type ConformanceTarget,
} from '../support/target.ts';

export const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

export interface TogglCredentials {
  /** Admin of organization and workspace `orgId` / `workspaceId` (email:password). */
  admin: Record<string, string>;
  /** The same admin through the API token (`<token>:api_token`). */
  adminToken: Record<string, string>;
  /** A plain member of the workspace. */
  member: Record<string, string>;
  /** Somebody with nothing to do with the organization. */
  other: Record<string, string>;
  orgId: number;
  workspaceId: number;
}

/**
 * The Toggl target with its credentials: the fixtures' by default, or for a real backend TOGGL_ADMIN_EMAIL,
 * TOGGL_ADMIN_PASSWORD, TOGGL_ADMIN_API_TOKEN, TOGGL_MEMBER_EMAIL, TOGGL_MEMBER_PASSWORD, TOGGL_OTHER_EMAIL,
 * TOGGL_OTHER_PASSWORD, TOGGL_ORGANIZATION_ID and TOGGL_WORKSPACE_ID. Every 2xx JSON answer is also checked
 * against Toggl's own Swagger file when ../shared/reference/vendor/ holds it.
 */
export async function togglTarget(): Promise<{ target: ConformanceTarget; creds: TogglCredentials }> {
  const creds: TogglCredentials = {
    admin: basic(credential('TOGGL_ADMIN_EMAIL', 'admin@toggl.test'), credential('TOGGL_ADMIN_PASSWORD', 'yoyo')),
    adminToken: basic(credential('TOGGL_ADMIN_API_TOKEN', 'toggl-admin-token'), 'api_token'),
    member: basic(credential('TOGGL_MEMBER_EMAIL', 'member@toggl.test'), credential('TOGGL_MEMBER_PASSWORD', 'yoyo')),
    other: basic(credential('TOGGL_OTHER_EMAIL', 'other@toggl.test'), credential('TOGGL_OTHER_PASSWORD', 'yoyo')),
    orgId: Number(credential('TOGGL_ORGANIZATION_ID', '56')),
    workspaceId: Number(credential('TOGGL_WORKSPACE_ID', '56')),
  };
  const target = await conformanceTarget('toggl', {
    vendorDocument: sharedVendorDocument('toggl-v9-subscription.swagger.json'),
  });
  return { target, creds };
}

/** What a scenario on the fixtures' organization 56 needs of a Standin target. */
export const STARTER_56 =
  "the fixtures' organization 56 (Starter, 2 seats, paid to 2026-12-01) on the clock frozen at 2026-11-15";
/** What a scenario on the fixtures' organization 57 needs of a Standin target. */
export const FREE_57 =
  "the fixtures' organization 57 (Free, no customer, trial available) on the clock frozen at 2026-11-15";

/** Back to the fixtures, with the sandbox clock frozen at `at` (a Standin target only). */
export async function freshSandbox(t: ConformanceTarget, at = '2026-11-15T12:00:00Z'): Promise<void> {
  await t.admin('POST', '/reset');
  await t.admin('POST', '/clock', { set: at, freeze: true });
}

export async function advance(t: ConformanceTarget, duration: string): Promise<string> {
  return (await t.admin<{ now: string }>('POST', '/clock', { advance: duration })).now;
}

/**
 * A Toggl suite file's target and credentials, closed after the file; with `fresh` a Standin's sandbox goes back to
 * the fixtures (clock frozen) once before the file or before each scenario.
 */
export async function togglSuite(options: {
  fresh: 'once' | 'each';
}): Promise<{ t: ConformanceTarget; creds: TogglCredentials }> {
  const { target, creds } = closedAfterFile(await togglTarget());
  if (targetIsStandin) (options.fresh === 'once' ? beforeAll : beforeEach)(() => freshSandbox(target));
  return { t: target, creds };
}

type Headers = Record<string, string>;

/** POST /workspaces/{workspace_id}/subscription/purchase_orders: seats bought on a purchase order. */
export const workspacePurchaseOrder = (t: ConformanceTarget, workspace_id: number, headers: Headers, body: unknown) =>
  t.call('post_workspace_purchase_order', { params: { workspace_id }, headers, body });

/** POST /organizations/{organization_id}/subscription/purchase_orders: the same for the organization. */
export const organizationPurchaseOrder = (
  t: ConformanceTarget,
  organization_id: number,
  headers: Headers,
  body: unknown,
) => t.call('post_organization_purchase_order', { params: { organization_id }, headers, body });

/** GET /workspaces/{workspace_id}/subscription/purchase_orders/{purchase_order_id}.pdf */
export const purchaseOrderPdf = (
  t: ConformanceTarget,
  workspace_id: number,
  purchase_order_id: number,
  headers: Headers,
) => t.call('get_workspace_purchase_order_pdf', { params: { workspace_id, purchase_order_id }, headers });

/** Contact details with every field a US customer needs (New York): saved as they are by post_workspace_customer. */
export const usContact = {
  company_name: 'Acme Corp',
  company_address: '350 Fifth Avenue',
  company_city: 'New York',
  contact_email: 'ap@acme.test',
  contact_person: 'Wile E.',
  country_id: 235,
  country_subdivision_id: 3961,
  zip_code: '10118',
};

/** A purchase order as Toggl answers it: 200, its id, when it was made and when it is due. */
export function expectPurchaseOrder(
  res: { status: number; body: unknown },
  created_at: string,
  due_date: string,
): void {
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ id: expect.any(Number), created_at, due_date });
}

/** A Toggl error: the status and the bare JSON string body. */
export function expectError(res: { status: number; body: unknown }, status: number, message: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toBe(message);
}

/** A call Toggl refuses: its path parameters, the caller, and the error it answers (status and bare string body). */
type Refusal = [params: Record<string, string | number>, headers: Headers, status: number, message: string];

/** Calls `operationId` once per refusal and expects each one's error. */
export async function expectRefusals(t: ConformanceTarget, operationId: string, refusals: Refusal[]): Promise<void> {
  for (const [params, headers, status, message] of refusals) {
    const res = await t.call(operationId, { params, headers });
    expect([res.status, res.body], `${operationId} ${JSON.stringify(params)}`).toEqual([status, message]);
  }
}
