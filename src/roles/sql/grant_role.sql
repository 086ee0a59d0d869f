-- :group is bqx_reader or bqx_writer (made by the migrations); :role the validated, quoted login
grant :group to :role
