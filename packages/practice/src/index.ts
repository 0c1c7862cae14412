// @steady/practice: rehearse the stance. Pure like the engine: the CLI stores attempts in SQLite,
// the web app in IndexedDB.
export * from './types.js';
export { scenarios, scenario, listing } from './scenarios.js';
export { validate, validateAll } from './schema.js';
export { branchOf, start, current, respond, attemptOf, stepsOf, repairOf, STEADY_AT } from './session.js';
export { progress, suggest, trendOf, TREND_MIN } from './progress.js';
