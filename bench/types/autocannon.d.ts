// autocannon 8 ships no types; the benches use its promise API with a plain options object.
declare module "autocannon" {
  const autocannon: (options: Record<string, unknown>) => Promise<any>;
  export default autocannon;
}
