-- Marks the database as the demo's own, so the next demo may replace it (the comment: a quoted literal).
comment on database :database is :comment;
