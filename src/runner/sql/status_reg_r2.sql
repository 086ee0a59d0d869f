-- Per regression window, the fits since $1 and their R² (bqx.reg_r2_since).
select * from bqx.reg_r2_since($1);
