"""Every reference code the core's own code names, by list.

Rules in code may name a code (a minor is in `age_0_11` or `age_12_17`); when
they do, the code is listed here and `tests/test_reference_used.py` checks it
exists in `data/`, so renaming a code in the data cannot silently break a rule.
"""

CODES_USED_BY_CORE: dict[str, set[str]] = {
    "age_band": {"age_0_11", "age_12_17", "unknown"},
    "violence_type": {"rape", "sexual_assault", "forced_marriage", "not_gbv"},
    "sex": {"female", "male"},
    "case_status": {"open", "closed", "transferred", "duplicate"},
    "follow_up_status": {"planned", "done"},
    "referral_outcome": {"pending", "received"},
    "consent_scope": {"services", "reporting", "sharing"},
    "case_context": {"intimate_partner_violence", "child_sexual_abuse", "early_marriage"},
    "relationship": {"intimate_partner", "former_partner"},
    "node_kind": {"point", "commune", "district", "province"},
    "role": {"admin", "officer", "cadre", "leader", "province_officer"},
}
