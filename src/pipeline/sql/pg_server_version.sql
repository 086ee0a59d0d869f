-- The server's version, for the manifest (a dataset names what built it).
show server_version;
