// Values serverless.yml derives from the sync settings (EventBridge and SQS accept no arithmetic):
//   rate                 UPDATE_FREQUENCY seconds as an EventBridge rate, rounded up to whole minutes (its granularity)
//   enabled              false only when SYNC_SCHEDULE_ENABLED=0 (the test suite, so no sync starts on its own)
//   maximumConcurrency   MAX_PARALLEL_COMPANY_SYNC for the worker's event source, at least 2 (AWS's minimum);
//                        the exact bound is the slot items in DynamoDB (lib/store/sync-lease-store.ts)
const seconds = Number(process.env.UPDATE_FREQUENCY || 120);
const minutes = Math.max(1, Math.ceil(seconds / 60));

module.exports.rate = () => (minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`);
module.exports.enabled = () => process.env.SYNC_SCHEDULE_ENABLED !== '0';
module.exports.maximumConcurrency = () => Math.min(1000, Math.max(2, Number(process.env.MAX_PARALLEL_COMPANY_SYNC || 1)));
