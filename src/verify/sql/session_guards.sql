-- Protections of a verify session against a client that goes away or a query that never ends:
-- the server checks the client's socket every few seconds while a query runs (a killed client's query
-- is cancelled instead of running to its end), statements and idle transactions are bounded, and the
-- sessions are named so an operator can find them in pg_stat_activity. $1: statement_timeout in ms.
select set_config('application_name', 'bqx verify', false),
       set_config('client_connection_check_interval', '2s', false),
       set_config('statement_timeout', $1::text, false),
       set_config('idle_in_transaction_session_timeout', '60s', false),
       pg_backend_pid() as pid
