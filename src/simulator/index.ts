// Genesys Cloud simulator: a real HTTP server on 127.0.0.1 that behaves like the API described in
// /work/shared/reference/genesys-cloud-api.md. Public surface per .team/CONTRACT-genesys.md.
export type { Faults, SimClient, SimLogEntry, Simulator, SimulatorOptions } from './types.ts';
export { SIM_ADMIN, SIM_AUDITOR, AUDITOR_PERMISSIONS } from './clients.ts';
export { startSimulator } from './server.ts';
export { SURFACES as SIMULATED_SURFACES } from './surfaces.ts';
export type { SimSurface } from './surfaces.ts';
