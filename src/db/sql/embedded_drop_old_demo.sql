-- Demos before the current one kept their store in bqx_demo, which no other command reads.
drop database if exists bqx_demo with (force);
