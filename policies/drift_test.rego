package driftwarden.drift_test

import rego.v1

import data.driftwarden.drift

d(surface, path, kind, old, new) := {"surface": surface, "pathText": path, "kind": kind, "old": old, "new": new}

test_mfa_turned_off_is_flagged if {
	drift.mfa_disabled == {0} with input as {"drift": [d("authentication-settings", "multifactorAuthenticationRequired", "MODIFIED", true, false)]}
}

test_mfa_turned_on_is_not_flagged if {
	count(drift.mfa_disabled) == 0 with input as {"drift": [d("authentication-settings", "multifactorAuthenticationRequired", "MODIFIED", false, true)]}
}

test_new_allowlist_entry_widens if {
	drift.ip_allowlist_widened == {1} with input as {"drift": [
		d("authentication-settings", "ipAddressAllowlist[=203.0.113.0/24]", "REMOVED", "203.0.113.0/24", null),
		d("authentication-settings", "ipAddressAllowlist[=0.0.0.0/0]", "ADDED", null, "0.0.0.0/0"),
	]}
}

test_password_min_length_lowered if {
	drift.password_policy_weakened == {0} with input as {"drift": [d("authentication-settings", "passwordRequirements.minimumLength", "MODIFIED", 12, 8)]}
}

test_password_min_length_raised_is_fine if {
	count(drift.password_policy_weakened) == 0 with input as {"drift": [d("authentication-settings", "passwordRequirements.minimumLength", "MODIFIED", 12, 16)]}
}

test_retention_shortened if {
	drift.retention_shortened == {0} with input as {"drift": [d("media-retention-policies", "entities[id=p1].mediaPolicies.callPolicy.actions.retentionDuration.deleteRetention.days", "MODIFIED", 730, 30)]}
}

test_retention_policy_removed if {
	drift.retention_shortened == {0} with input as {"drift": [d("media-retention-policies", "entities[id=p1]", "REMOVED", {"id": "p1"}, null)]}
}

test_new_oauth_client if {
	drift.oauth_client_added == {0} with input as {"drift": [d("oauth-clients", "entities[id=c9]", "ADDED", null, {"id": "c9", "name": "x"})]}
}

test_role_gains_admin_action if {
	drift.role_gained_admin == {0} with input as {"drift": [d("roles", "entities[id=r1].permissionPolicies[domain+entityName=directory+user].actionSet[=edit]", "ADDED", null, "edit")]}
}

test_cosmetic_change_is_low_rule if {
	drift.cosmetic_change == {0} with input as {"drift": [d("organization", "name", "MODIFIED", "Acme", "Acme Inc")]}
}

test_hipaa_feature_disabled if {
	drift.compliance_feature_disabled == {0} with input as {"drift": [d("features", "hipaa", "MODIFIED", true, false)]}
}

test_a_field_of_an_entity_is_not_the_entity if {
	count(drift.oauth_client_added) == 0 with input as {"drift": [d("oauth-clients", "entities[id=c9].name", "ADDED", null, "x")]}
}
