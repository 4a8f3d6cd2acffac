// Guard for integration tests: they write to the table, so they refuse anything but a local endpoint.
export function assertLocalEndpoints(): void {
  for (const name of ['DYNAMODB_ENDPOINT', 'SQS_ENDPOINT']) {
    const value = process.env[name];
    if (!value || !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?/.test(value)) {
      throw new Error(`${name} must point at the local stack (got ${value ?? 'nothing'}); refusing to run`);
    }
  }
}
