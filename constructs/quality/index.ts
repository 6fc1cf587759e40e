export * from './quality-run';
export * from './results-table';
export { schedulerCron } from './schedule';
