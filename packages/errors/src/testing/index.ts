export { createFakeClock, type FakeClock } from './fake-clock.js';
