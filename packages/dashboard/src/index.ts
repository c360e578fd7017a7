export { createDashboard, type Dashboard } from './dashboard.js';
export type { ActionOutcome, DashboardActions, DashboardOptions, DashboardState } from './options.js';
export { CONTENT_SECURITY_POLICY, generateToken, isLoopback } from './security.js';
export { createEventLog, type EventLog, type FeedEvent, type Replay } from './event-log.js';
