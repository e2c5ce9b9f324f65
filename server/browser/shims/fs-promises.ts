/** node:fs/promises in the browser: nothing to read or write (sandboxes stay in memory there). */
const readOnly = async (): Promise<never> => {
  throw Object.assign(new Error('EROFS: the browser has no file system'), { code: 'EROFS' });
};
export const readFile = readOnly;
export const open = readOnly;
export const rename = readOnly;
export const unlink = readOnly;
