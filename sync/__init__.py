"""Sync up the tree (DESIGN §6). No Qt here; the window and `binhan` call these modules.

    sync.keys        this node's key pairs, fingerprints, rotation, key backups
    sync.enrol       profile file (parent → child) and registration file (child → parent)
    sync.package     the package file: build at the child, parse / decrypt anywhere
    sync.importer    verify, decrypt and apply at the parent; kept-aside records
    sync.receipt     the parent's signed answer; moving the child's watermark
    sync.down        down-packages, parent → child: profile (targets, deadlines), option lists, receipts
    sync.reference   option lists received from the parent, laid over the shipped ones (versions only rise)
    sync.status      built / sent / received / confirmed, per package and per record
    sync.transports  moving the same files: folder or USB drive, e-mail (SMTP/IMAP), HTTP (`binhan serve`)
    sync.cli         `binhan keys|profile|register|sync …|serve`

What a record may carry is decided in the core, by `app.sync_allow`.
"""
