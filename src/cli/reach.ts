/** How to reach a store once a command has finished (the embedded server stops with the command). */

export function maskUrl(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}

export function connectionHelp(url: string, embedded: boolean): string {
  if (!embedded)
    return [`the store: ${maskUrl(url)}`, '  psql "$DATABASE_URL"           # or any bqx command, with the same DATABASE_URL'].join('\n');
  return [
    `the store: ${url}`,
    '  bqx status                     # every bqx command finds it (and starts the embedded server itself)',
    '  bqx db start                   # keeps the embedded server running until Ctrl-C; meanwhile, in another terminal:',
    `  psql "${url}"`,
    '  bqx roles add alice --reader   # a read-only login for an analyst',
  ].join('\n');
}
