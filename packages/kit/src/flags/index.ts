export { FLAGS_OFF, faultFlagsFrom, lateFlags, type FaultFlags, type NumberFlagName, type BooleanFlagName } from './fault-flags.ts';
export { startFlags, type StartFlagsOptions, type FlagdOptions } from './start-flags.ts';
