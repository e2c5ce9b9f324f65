/** A refusal of the admin API: its status, a sentence naming the problem, and the problems when there are several. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems?: string[],
  ) {
    super(message);
  }
}
