/** A small DjaoApp sign-in and profile client, as a frontend would write it: the consumer in the Pact tests. */
import { jsonRequest } from './shared.ts';

export interface Profile {
  slug: string;
  email: string;
  fullName: string;
}

export class DjaoappSessionClient {
  private token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  private request(method: string, path: string, body?: unknown): Promise<any> {
    return jsonRequest(this.baseUrl, this.token, method, path, body);
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
