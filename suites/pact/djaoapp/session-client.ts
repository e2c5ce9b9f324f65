/** A small DjaoApp sign-in and profile client, as a frontend would write it: the consumer in the Pact tests. */
export interface Profile {
  slug: string;
  email: string;
  fullName: string;
}

export class DjaoappSessionClient {
  private token: string | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  private async request(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...this.extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok)
      throw Object.assign(new Error(`${method} ${path} → ${res.status}`), { status: res.status, body: data });
    return data;
  }

  /** Signs in; returns the username the token was issued for. */
  async signIn(username: string, password: string): Promise<string> {
    const { token } = await this.request('POST', '/api/auth/', { username, password });
    this.token = token;
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).username;
  }

  async refresh(): Promise<void> {
    const { token } = await this.request('POST', '/api/auth/tokens/', { token: this.token });
    this.token = token;
  }

  async profile(username: string): Promise<Profile> {
    const user = await this.request('GET', `/api/users/${username}/`);
    return { slug: user.slug, email: user.email, fullName: user.full_name };
  }

  async rename(username: string, email: string, fullName: string): Promise<Profile> {
    const user = await this.request('PUT', `/api/users/${username}/`, { email, full_name: fullName });
    return { slug: user.slug, email: user.email, fullName: user.full_name };
  }

  async billingProfiles(username: string): Promise<string[]> {
    const page = await this.request('GET', `/api/users/${username}/profiles/`);
    return page.results.map((p: { slug: string }) => p.slug);
  }
}
