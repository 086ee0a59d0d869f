/**
 * Adds new migrations to sql/schema/migrations.sha256: npm run migrations:lock
 * Refuses (and names the file) when a migration already in the lock was edited.
 */
import { updateMigrationLock } from '../src/db/migrationLock.ts';

const added = updateMigrationLock();
console.log(added.length ? `locked ${added.join(', ')}` : 'sql/schema/migrations.sha256 is up to date');
