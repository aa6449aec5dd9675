"""Ways to move the same files: a folder or removable drive (folder), e-mail (email), HTTP (http).

Every transport moves whole files written by `sync.package` and `sync.receipt`;
none of them reads or changes what is inside.
"""
