/** node:http in the browser: the status texts (fault answers name them). */
import statuses from 'statuses';

export const STATUS_CODES: Record<number, string | undefined> = statuses.message;
