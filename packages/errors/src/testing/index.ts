export { driveUntilSettled, type DriveOptions } from './drive.js';
export { createFakeClock, type FakeClock } from './fake-clock.js';
