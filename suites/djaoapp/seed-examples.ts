import examples from './seed-examples.json' with { type: 'json' };

/** One example of seed 001 (extracted to seed-examples.json): the operation, the request line and body, the answer. */
interface SeedExample {
  operation: string;
  request?: { line: string; body?: any };
  response?: any;
}

const seedExamples = examples as SeedExample[];

/** The (first) seed example of an operation. */
export function seedExample(operation: string): SeedExample {
  const found = seedExamples.find((e) => e.operation === operation);
  if (!found) throw new Error(`no seed example for ${operation}`);
  return found;
}
