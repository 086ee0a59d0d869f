-- A verify session goes back to its pool as it came (the pool's other users have their own settings).
select set_config('application_name', 'bqx-store', false),
       set_config('client_connection_check_interval', '0', false),
       set_config('statement_timeout', '0', false),
       set_config('idle_in_transaction_session_timeout', '0', false)
