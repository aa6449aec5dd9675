"""Who holds which identity key: granting, revoking and fulfilling, always through `KeySlots.change`.

An identity key reaches an account only by being sealed to its slot's public key, and a slot is
granted keys only when its seal (user, role, point, public key; MAC'd under the node's identity key)
says so — never because the `accounts` table (which anyone with the database key can edit) says so.
Whoever holds the node's identity key (administrator, officer, the recovery key) can vouch for a slot
and grant it keys; a cadre holds only her point's key and grants nothing.
"""

from __future__ import annotations

from app.store.keyslots import KeySlots, Slot, scopes_for


def grant_role(slots: KeySlots, slot: Slot, role: str, point: str | None, held: dict[str, bytes],
               node_key: bytes | None) -> None:
    """Make `slot` hold exactly the keys of `role` at `point` (of those `held`), and vouch for it."""
    scopes = slots.scopes()
    wanted = {kid for kid, scope in scopes.items() if scope in scopes_for(role, point, list(scopes.values()))}
    slots.revoke(slot, keep=wanted)
    for key_id in wanted:
        if key_id in held and key_id not in (slot.grants or {}):
            slots.grant(slot, key_id, held[key_id])
    if node_key is not None:
        slots.vouch(slot, role, point, node_key)
    else:
        slot.role, slot.point, slot.seal = role, point, None


def fulfil(slots: KeySlots, held: dict[str, bytes], node_key: bytes | None, accounts: dict[str, dict]) -> list[str]:
    """Give every vouched slot the keys its role is owed that it lacks; return the user names served.

    `accounts`: username -> account row (role, point_id, active): a slot is served only when its seal
    holds *and* the account is still active with the role the seal names (a demoted account's stale
    seal earns nothing). A slot vouched before it had a key pair (an account that had not logged in
    since the upgrade) is vouched again with its public key, trusted on first use.
    """
    if node_key is None:
        return []
    served = []
    scopes = slots.scopes()
    for slot in slots.slots:
        if slot.kind not in ("password", "recovery") or not slot.public:
            continue
        if not slots.vouched(slot, node_key, pending=True):
            continue
        if slot.kind == "password":
            row = accounts.get(slot.user) if slot.user is not None else None
            if not row or not row["active"] or row["role"] != slot.role or (row.get("point_id") or None) != slot.point:
                continue
        role = "recovery" if slot.kind == "recovery" else slot.role
        wanted = {kid for kid, scope in scopes.items() if scope in scopes_for(role, slot.point, list(scopes.values()))}
        missing = [kid for kid in wanted if kid in held and kid not in (slot.grants or {})]
        revouch = not slots.vouched(slot, node_key)
        if revouch:
            slots.vouch(slot, slot.role, slot.point, node_key)
        for key_id in missing:
            slots.grant(slot, key_id, held[key_id])
        if missing or revouch:
            served.append(slot.user or "#recovery")
    return served


def new_scope_key(slots: KeySlots, scope: str, node_key: bytes, accounts: dict[str, dict]) -> tuple[str, bytes]:
    """Create the identity key of `scope` and grant it to every vouched slot entitled to it."""
    key_id, key = slots.new_identity_key(scope)
    all_scopes = list(slots.scopes().values())
    for slot in slots.slots:
        if slot.kind not in ("password", "recovery") or not slot.public:
            continue
        if not slots.vouched(slot, node_key):
            continue
        role = "recovery" if slot.kind == "recovery" else slot.role
        if slot.kind == "password":
            row = accounts.get(slot.user) if slot.user is not None else None
            if not row or not row["active"] or row["role"] != slot.role:
                continue
        if scope in scopes_for(role, slot.point, all_scopes):
            slots.grant(slot, key_id, key)
    return key_id, key
