// `npm run migrate:synced-events -- --stage <name> [--region <region>]`: the one-off move of the synced Google
// events to one item per event (lib/store/synced-event-migration.ts). `npm run deploy` runs it after each deploy
// (it finds nothing once done); locally, with `DYNAMODB_ENDPOINT` and `TABLE_NAME` set, it works on that table.
import { migrateSyncedEventListing } from '../lib/store/synced-event-migration';

function option(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main() {
  const stage = option('stage', 'local')!;
  const region = option('region');
  // The name serverless.yml gives the table (custom.tableName), unless the environment names one.
  process.env.TABLE_NAME ??= `calendar-hub-${stage}`;
  if (region) process.env.AWS_REGION = region;
  const result = await migrateSyncedEventListing((line) => console.log(line));
  console.log(`Synced events on ${process.env.TABLE_NAME}: ${result.recordsIndexed} records indexed, ${result.copiesDeleted} listing copies deleted, ${result.recordsSkipped} left as they are (placeholders, or rewritten meanwhile)`);
}

main().catch((error) => {
  console.error(`migrate:synced-events failed: ${(error as Error).message}`);
  process.exit(1);
});
