/** The context every DjaoApp handler gets: this API's state and the caller's principal. */
import type { HandlerContext } from '../../../core/plugin.ts';
import type { DjaoappState, Principal } from '../state.ts';

export type Ctx = HandlerContext<DjaoappState, Principal>;
