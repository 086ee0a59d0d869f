/** Prefix of run `runPid`'s retired test databases (db.ts retire: closed, left for a batch drop or the teardown). */
export const retiredPrefix = (runPid: number) => `bqx_d_${runPid}_`;
