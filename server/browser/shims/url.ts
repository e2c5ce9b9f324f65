/** node:url in the browser: a module's URL there is the path of its source under the project root. */
export const fileURLToPath = (url: string | URL): string => new URL(url).pathname;
