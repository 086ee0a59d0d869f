/**
 * Streams the raw bytes of `COPY (query) TO STDOUT` (pg-copy-streams), so bulk reads never become
 * row objects in JS: the caller parses the wire format straight into typed arrays.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export async function* copyOut(client: pg.ClientBase, copySql: string): AsyncGenerator<Buffer> {
  const stream = client.query(copyTo(copySql));
  for await (const chunk of stream) yield chunk as Buffer;
}
