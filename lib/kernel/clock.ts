// The clock port: use cases ask it for the time, so tests can set it; production wires the system clock.
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
