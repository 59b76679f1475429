// Child process of the crash-safety test: delivers the outbox of DW_DB to the receivers of the
// parent process. With DW_CRASH_AT=k it stops dead at its k-th checkpoint (prints `CRASH` and
// blocks the whole thread) so the parent can SIGKILL it exactly there. With DW_READY it prints
// `READY` before delivering (for kills at random delays). Prints `DONE <outcomes>` at the end.
import { writeSync } from 'node:fs';
import { buildOutbox, openOutboxStore, routeTable, type Endpoints } from './helpers.ts';

const env = process.env;
const ep = JSON.parse(env.DW_ENDPOINTS!) as Endpoints;
const crashAt = Number(env.DW_CRASH_AT ?? '0');
const channels = JSON.parse(env.DW_CHANNELS!) as Parameters<typeof routeTable>[1];

let seen = 0;
const store = await openOutboxStore(env.DW_DB!);
const outbox = buildOutbox(store, routeTable(ep, channels), {
  // Real time here: short inline waits only (the test's receivers do not fail).
  onCheckpoint: (point, m) => {
    if (++seen !== crashAt) return;
    writeSync(1, `CRASH ${point} ${m.channel} ${m.idempotencyKey}\n`);
    // Freeze every thread of this process until the parent's SIGKILL lands.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);
    process.exit(99);
  },
});
if (env.DW_READY) writeSync(1, 'READY\n');
const outcomes = await outbox.deliver();
await outbox.close();
await store.close();
writeSync(1, `DONE ${JSON.stringify(outcomes)}\n`);
// Nothing is left to do: exit now rather than wait for idle sockets and timers to wind down.
process.exit(0);
