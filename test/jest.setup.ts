// Integration and e2e tests wait on real servers and child processes.
jest.setTimeout(180_000);
