import type { HttpMethod } from '../contract/load.ts';

/** Anything routable: a contract operation, or a vendor document's. */
export interface Routable {
  method: HttpMethod;
  path: string;
}

interface Route<T> {
  /** The contract's path template. */
  path: string;
  pattern: RegExp;
  names: string[];
  /** Literal characters in the template: the more, the more specific the route. */
  weight: number;
  operations: Partial<Record<HttpMethod, T>>;
}

export type RouteMatch<T> =
  | { kind: 'operation'; operation: T; rawParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * A parameter written right after text rather than after a slash (`/api/proxy/rules{rule}`) stands for a path of
 * its own, slashes included (`/api/proxy/rules/app/` → rule = `/app/`); any other parameter is one segment.
 */
function gluedToText(before: string | undefined): boolean {
  return before !== undefined && before !== '' && !before.endsWith('/');
}

/** Routes a request path to an operation; the contract's paths are its only input. */
export class Router<T extends Routable> {
  private readonly routes: Route<T>[] = [];

  constructor(operations: T[]) {
    const byPath = new Map<string, Route<T>>();
    for (const op of operations) {
      let route = byPath.get(op.path);
      if (!route) {
        const names: string[] = [];
        const parts = op.path.split(/(\{[^}]+\})/);
        const source = parts
          .map((part, i) => {
            const param = /^\{([^}]+)\}$/.exec(part);
            if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(param[1]!);
            return gluedToText(parts[i - 1]) ? '(.+)' : '([^/]+)';
          })
          .join('');
        route = {
          path: op.path,
          pattern: new RegExp(`^${source}$`),
          names,
          weight: op.path.replace(/\{[^}]+\}/g, '').length,
          // Null-prototype: a request's method is looked up here, and `constructor` is no method.
          operations: Object.create(null) as Route<T>['operations'],
        };
        byPath.set(op.path, route);
        this.routes.push(route);
      }
      route.operations[op.method] = op;
    }
    this.routes.sort((a, b) => b.weight - a.weight);
  }

  /** The path template a request path is routed to, whatever its method. */
  templateOf(path: string): string | undefined {
    return this.routes.find((route) => route.pattern.test(path))?.path;
  }

  match(method: string, path: string): RouteMatch<T> {
    const verb = method.toLowerCase() as HttpMethod;
    let allowed: string[] | undefined;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      const operation = route.operations[verb] ?? (verb === 'head' ? route.operations.get : undefined);
      if (!operation) {
        allowed ??= Object.keys(route.operations).map((m) => m.toUpperCase());
        continue;
      }
      const rawParams: Record<string, string> = {};
      route.names.forEach((name, i) => (rawParams[name] = found[i + 1]!));
      return { kind: 'operation', operation, rawParams };
    }
    return allowed ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}
