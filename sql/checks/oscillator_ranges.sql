-- Violations: an oscillator outside its range (RSI, stochastic, ADX, DI, MFI in [0, 100]; Williams %R in
-- [-100, 0]) in either technical domain.
select 'technical_rate' as family, pair, ts_utc from bqx.technical_rate
where rsi_14 not between 0 and 100 or rsi_21 not between 0 and 100 or stoch_k_14 not between 0 and 100
   or stoch_d_3 not between 0 and 100 or adx_14 not between 0 and 100 or plus_di_14 not between 0 and 100
   or minus_di_14 not between 0 and 100 or mfi_14 not between 0 and 100 or williams_r_14 not between -100 and 0
union all
select 'technical_bqx', pair, ts_utc from bqx.technical_bqx
where rsi_14 not between 0 and 100 or rsi_21 not between 0 and 100 or stoch_k_14 not between 0 and 100
   or stoch_d_3 not between 0 and 100 or adx_14 not between 0 and 100 or plus_di_14 not between 0 and 100
   or minus_di_14 not between 0 and 100 or mfi_14 not between 0 and 100 or williams_r_14 not between -100 and 0
order by 1, 2, 3
limit 100
