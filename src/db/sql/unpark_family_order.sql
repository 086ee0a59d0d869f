-- Second half of syncing bqx.families.ord (see park_family_order.sql).
update bqx.families set ord = -ord where ord < 0;
