// Each e2e file starts real processes; allow for a slow, shared 2-core machine (a stack may take up
// to READY_TIMEOUT_MS to start inside a hook).
jest.setTimeout(150_000);
