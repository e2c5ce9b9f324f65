/** The context every DjaoApp handler gets: this API's state, the caller's principal, and its operation's request. */
import type { ContextOf, StatusReply } from '../../../core/plugin.ts';
import type { components, operations } from '../contract.d.ts';
import type { DjaoappState, Principal } from '../state.ts';

export type OperationId = keyof operations;
/** The context of the handler of one operation (`Ctx<'plans_list'>`), or of code any operation may call (`Ctx`). */
export type Ctx<Id extends OperationId | undefined = undefined> = ContextOf<DjaoappState, Principal, operations, Id>;
/**
 * A reply with a status the contract declares for the operation. Its body is not checked against the contract:
 * render.ts builds plain records, and several answers (Django REST framework's field errors) are thrown.
 */
export type Reply<Id extends OperationId> = StatusReply<operations[Id]>;

type Parameters = components['parameters'];

/** DjaoApp's query parameters as code shared by several operations reads them (each operation declares its own). */
export interface Query {
  q?: Parameters['Search'];
  q_f?: Parameters['SearchFields'];
  o?: Parameters['Ordering'];
  ot?: Parameters['OrderingDirection'];
  page?: Parameters['Page'];
  page_size?: Parameters['PageSize'];
  start_at?: Parameters['StartAt'];
  ends_at?: Parameters['EndsAt'];
  state?: Parameters['SubscriptionState'];
  role_status?: Parameters['RoleStatus'];
  force?: Parameters['Force'];
  active?: string;
  plan?: string;
  selector?: string;
}

/** A 200 reply built by code several operations share (each of them declares 200). */
export interface OkReply {
  status: 200;
  body: unknown;
}
