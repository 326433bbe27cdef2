"""The closed word lists of the interchange contract (CONTRACT.md sections 2-4).

Kept in one place so that the fact model, the ruleset loader, the JSON Schemas and the
documentation all draw on the same words. Adding a word is a compatible change; renaming
or removing one needs schema version 2.
"""

from __future__ import annotations

__all__ = [
    "ANCHORS",
    "DATA_ELEMENTS",
    "DATA_ROLES",
    "DETERMINATION_STATUSES",
    "ELEMENT_NOTES",
    "ELEMENT_SYNONYMS",
    "EXPOSURE_FLAGS",
    "GDPR_RISK_LEVELS",
    "OBLIGATION_KINDS",
    "OBLIGATION_STATUSES",
    "PARTY_TYPES",
    "RECIPIENTS",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = "1"

#: CONTRACT section 2.
DATA_ELEMENTS: tuple[str, ...] = (
    "name",
    "ssn",
    "drivers_license",
    "passport",
    "government_id",
    "tax_id",
    "financial_account",
    "financial_account_access",
    "credentials",
    "medical",
    "health_insurance",
    "biometric",
    "genetic",
    "dob",
    "mothers_maiden_name",
    "digital_signature",
    "email",
    "contact",
    "precise_geolocation",
    "special_category",
    "criminal",
    "other",
    # Added (schema version 1): personal data of a kind not established. Element tests
    # that the known elements do not settle are unknown, never "not met".
    "unknown",
)

#: Words people write for a data element, and the element word they mean: an unknown
#: element is rejected with this hint before any near miss by spelling ("password" is
#: spelt like "passport" but means ``credentials``). Only a hint: nothing is rewritten.
ELEMENT_SYNONYMS: dict[str, str] = {
    "password": "credentials",
    "passwords": "credentials",
    "password_hash": "credentials",
    "password_hashes": "credentials",
    "username": "credentials",
    "login": "credentials",
    "security_question": "credentials",
    "social_security_number": "ssn",
    "driver_license": "drivers_license",
    "drivers_licence": "drivers_license",
    "driving_licence": "drivers_license",
    "date_of_birth": "dob",
    "birth_date": "dob",
    "birthdate": "dob",
    "phone": "contact",
    "phone_number": "contact",
    "address": "contact",
    "postal_address": "contact",
    "email_address": "email",
    "credit_card": "financial_account",
    "card_number": "financial_account",
    "bank_account": "financial_account",
    "iban": "financial_account",
    "health": "medical",
    "health_data": "medical",
    "diagnosis": "medical",
    "fingerprint": "biometric",
    "national_id": "government_id",
    "geolocation": "precise_geolocation",
    "location": "precise_geolocation",
    # A health insurance policy or subscriber number is the element `health_insurance`
    # (state laws' "health insurance information": "an individual's health insurance
    # policy number or subscriber identification number", N.Y. Gen. Bus. Law
    # § 899-aa(1)(b)(i)(7); Conn. Gen. Stat. § 36a-701b's (viii) in the same words);
    # any other insurance policy number has no element of its own (ELEMENT_NOTES).
    "policy_number": "health_insurance",
    "policy_numbers": "health_insurance",
    "insurance_policy_number": "health_insurance",
    "health_insurance_policy_number": "health_insurance",
    "subscriber_id": "health_insurance",
    "subscriber_number": "health_insurance",
    "member_id": "health_insurance",
}

#: What the problem adds to a synonym's suggestion where the word may mean data no
#: element covers: the element is only the word's meaning in one kind of record.
ELEMENT_NOTES: dict[str, str] = dict.fromkeys(
    ("policy_number", "policy_numbers", "insurance_policy_number"),
    "a health insurance policy or subscriber number is 'health_insurance'; any other "
    "insurance policy number (auto, home, life) has no element of its own: use 'other'",
)

#: CONTRACT section 3. Rulesets may add words; unknown words are kept and reported.
PARTY_TYPES: tuple[str, ...] = (
    "hipaa_covered_entity",
    "hipaa_business_associate",
    "glba_financial_institution",
    "bank",
    "bank_service_provider",
    "sec_registrant",
    "nydfs_covered_entity",
    "health_app_vendor",
    "nis2_essential_entity",
    "nis2_important_entity",
    "dora_financial_entity",
    "government_agency",
    # Added for the sector and national regimes of the coverage issue (additive).
    "insurance_licensee",
    "broker_dealer",
    "credit_union",
    "telecom_carrier",
    "part2_program",
    "health_facility",
    "general_hospital",
    "product_manufacturer",
    # Size facts some laws turn on (additive): a Regulation S-P "smaller entity" (its
    # compliance date is later), and an Australian business whose annual turnover for the
    # previous financial year is at or below the ransomware-reporting threshold.
    "sec_smaller_entity",
    "au_turnover_at_or_below_threshold",
    # Words bundled rulesets used before a ruleset had to declare its own (issue 22).
    "il_high_security_database",
    "il_medium_security_database",
    "information_broker",
)

DATA_ROLES: tuple[str, ...] = ("owner", "service_provider")

GDPR_RISK_LEVELS: tuple[str, ...] = ("none", "risk", "high")

DETERMINATION_STATUSES: tuple[str, ...] = ("breach", "not_breach", "undetermined", "not_applicable")

OBLIGATION_STATUSES: tuple[str, ...] = ("required", "conditional", "not_required")

#: CONTRACT section 4, ``obligations[].recipient``.
RECIPIENTS: tuple[str, ...] = (
    "individuals",
    "attorney_general",
    "regulator",
    "consumer_reporting_agencies",
    "media",
    "law_enforcement",
    "data_owner",
    "controller",
    "covered_entity",
    # Added (schema version 1): a duty that sends nothing (an assessment the party must
    # complete itself, e.g. Privacy Act 1988 (Cth) s. 26WH). See OBLIGATION_KINDS.
    "internal",
)

#: What an obligation is (``obligations[].kind``, added in schema version 1): a ``notice``
#: sent to its recipient; a ``record`` the party keeps (a breach record or register, which
#: the recipient may ask to see: PIPEDA s. 10.3, Quebec P-39.1 s. 3.8); an ``assessment``
#: the party completes within a period (Privacy Act 1988 (Cth) s. 26WH). Only a notice
#: is ever shown as something sent.
OBLIGATION_KINDS: tuple[str, ...] = ("notice", "record", "assessment")

#: Clock anchors a deadline may run from (``deadline.from``).
ANCHORS: tuple[str, ...] = (
    "discovery",
    "breach_determination",
    "materiality_determination",
    "ransom_payment",
    "classification",
    "bank_determination",
    "nydfs_determination",
    "notice_to_individuals",
    "calendar_year_end",
    # Added (schema version 1): the owner's own awareness (discovery when it is the
    # breached party, else when its provider told it); the law's own risk finding.
    "owner_awareness",
    "risk_finding",
    # Added (schema version 1): the third-party agent's (breached service provider's) own
    # determination of the breach, `parties[].determined_at` (Ala. Code § 8-38-8).
    "agent_determination",
    # Added (schema version 1): when the breach itself occurred, `occurred_at` (Viet Nam's
    # Decree 13/2023 Art. 23(1): "no later than 72 hours after the violation occurs").
    "occurrence",
)

#: The exposure's yes/no/unknown facts that a ruleset's condition may test, by their contract
#: field names. Added (schema version 1): ``destroyed``, ``lost`` and ``altered``, the
#: availability and integrity breaches ("destruction, loss, alteration", GDPR Art. 4(12)).
EXPOSURE_FLAGS = (
    "acquired",
    "accessed",
    "encrypted",
    "key_compromised",
    "paper",
    "identity_theft_without_name",
    "phi",
    "destroyed",
    "lost",
    "altered",
    # Added: the affected people can be identified (POPIA s. 22(1)(b)); default true.
    "identifiable",
)
