/** The served Standin's admin token (its --admin-token), from STANDIN_ADMIN_TOKEN, as request headers. */
export function adminAuthorization(): Record<string, string> {
  const token = process.env.STANDIN_ADMIN_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}
