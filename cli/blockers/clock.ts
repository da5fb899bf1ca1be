/** Where every blocker command reads the time: tests pass their own clock to move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
