// Each e2e file starts real processes; allow for a slow, shared 2-core machine.
jest.setTimeout(60_000);
