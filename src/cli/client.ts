/** A management-key GraphQL client for the CLI: one POST per command, one-line errors. */
export class CliError extends Error {}

export class GatewayClient {
  constructor(
    private readonly url: string,
    private readonly managementKey: string,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): GatewayClient {
    const key = env.SCOPEGATE_MANAGEMENT_KEY;
    if (!key) throw new CliError("SCOPEGATE_MANAGEMENT_KEY is not set");
    return new GatewayClient(env.SCOPEGATE_URL ?? "http://127.0.0.1:4000/graphql", key);
  }

  async request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.managementKey}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new CliError(
        `cannot reach ${this.url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
      );
    }
    const body = (await res.json().catch(() => null)) as {
      data?: T;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    } | null;
    if (!body) throw new CliError(`${this.url} answered HTTP ${res.status} without JSON`);
    if (body.errors?.length) {
      const e = body.errors[0]!;
      throw new CliError(`${e.extensions?.code ?? "ERROR"}: ${e.message}`);
    }
    return body.data as T;
  }
}
