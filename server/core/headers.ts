/** Standin's own request and response headers, beside the vendors' (the console, suites and CLI use them too). */

/** Which sandbox a request works in (the default one without it). */
export const SANDBOX_HEADER = 'x-standin-sandbox';
/** A fault for this one request (core/faults.ts). */
export const FAULT_HEADER = 'x-standin-fault';
/** On a refused request whose problems were capped (validator/problems.ts): how many the answer does not list. */
export const OMITTED_PROBLEMS_HEADER = 'X-Standin-Problems-Omitted';
