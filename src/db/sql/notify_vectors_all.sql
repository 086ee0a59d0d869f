-- Sent in the transaction that replaces sql/ functions (delivered at its commit): a new definition may
-- change every served vector, so bqx serve drops its whole cache. Payload '*': every pair, every instant.
select pg_notify('bqx_vectors', '*')
