-- the group is bqx_reader or bqx_writer (made by the migrations), the role a validated, quoted login
grant :group to :role
