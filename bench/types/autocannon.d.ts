// autocannon 8 ships no types; the benches use its promise API with a plain options object. The
// returned promise is also the run's event emitter ("response": client, status, bytes, ms).
declare module "autocannon" {
  const autocannon: (
    options: Record<string, unknown>,
  ) => Promise<any> & { on(event: string, listener: (...args: any[]) => void): unknown };
  export default autocannon;
}
