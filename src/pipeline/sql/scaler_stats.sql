-- The scaler (fit on train only): mean and population standard deviation of each selected feature
-- over every row of the train split.
select {{aggregates}}
from read_parquet({{files}})
