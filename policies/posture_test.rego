package driftwarden.posture_test

import rego.v1

import data.driftwarden.posture

good_auth := {"multifactorAuthenticationRequired": true, "passwordRequirements": {"minimumLength": 14}, "ipAddressAllowlist": ["203.0.113.0/24"]}

test_mfa_off_is_a_violation if {
	count(posture.mfa_not_required) == 1 with input as {"snapshot": {"authentication-settings": object.union(good_auth, {"multifactorAuthenticationRequired": false})}}
}

test_good_auth_has_no_violation if {
	count(posture.mfa_not_required) == 0 with input as {"snapshot": {"authentication-settings": good_auth}}
	count(posture.password_too_short) == 0 with input as {"snapshot": {"authentication-settings": good_auth}}
}

test_short_password_is_a_violation if {
	some v in posture.password_too_short with input as {"snapshot": {"authentication-settings": {"passwordRequirements": {"minimumLength": 8}}}}
	v.message == "minimum password length is 8, policy requires at least 12"
}

test_threshold_comes_from_data if {
	count(posture.password_too_short) == 1 with input as {"snapshot": {"authentication-settings": good_auth}}
		with data.config.thresholds as {"password_min_length": 16}
}

test_hipaa_idle_timeout_limit if {
	count(posture.idle_timeout_above_hipaa_limit) == 1 with input as {"snapshot": {
		"features": {"hipaa": true},
		"idle-token-timeout": {"enableIdleTokenTimeout": true, "idleTokenTimeoutSeconds": 1800},
	}}
	count(posture.idle_timeout_above_hipaa_limit) == 0 with input as {"snapshot": {
		"features": {"hipaa": false},
		"idle-token-timeout": {"enableIdleTokenTimeout": true, "idleTokenTimeoutSeconds": 1800},
	}}
}

test_short_retention if {
	some v in posture.retention_below_minimum with input as {"snapshot": {"media-retention-policies": {"entities": [{
		"id": "p1", "name": "short", "enabled": true,
		"mediaPolicies": {"callPolicy": {"actions": {"retentionDuration": {"deleteRetention": {"days": 30}}}}},
	}]}}}
	v.path == "entities[id=p1].mediaPolicies.callPolicy.actions.retentionDuration.deleteRetention.days"
}

test_admin_client_without_owner if {
	count(posture.oauth_admin_client_without_owner) == 1 with input as {"snapshot": {
		"oauth-clients": {"entities": [{"id": "c1", "name": "ci", "state": "active", "description": "deploys", "roleDivisions": [{"roleId": "r1"}]}]},
		"roles": {"entities": [{"id": "r1", "name": "Master Admin", "permissionPolicies": []}]},
	}}
}

test_admin_client_with_owner_is_fine if {
	count(posture.oauth_admin_client_without_owner) == 0 with input as {"snapshot": {
		"oauth-clients": {"entities": [{"id": "c1", "name": "ci", "state": "active", "description": "owner: platform team", "roleDivisions": [{"roleId": "r1"}]}]},
		"roles": {"entities": [{"id": "r1", "name": "Master Admin", "permissionPolicies": []}]},
	}}
}

test_allowlist_outside_allowed_ranges if {
	count(posture.ip_allowlist_outside_allowed) == 1 with input as {"snapshot": {"authentication-settings": {"ipAddressAllowlist": ["10.1.0.0/16", "0.0.0.0/0"]}}}
		with data.config.allowed_cidrs as ["10.0.0.0/8"]
}
