// Test-only build (build/wasm/test.wasm): the ABI plus internals, for stage-level vectors.
export * from "./index";
export { planEncodation } from "./encodation/planner";
