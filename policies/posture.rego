# Posture: rules over the current state itself, drifted or not — a baseline can be wrong too.
# Each rule collects {surface, path, message} objects.
package driftwarden.posture

import rego.v1

import data.driftwarden.lib

auth := input.snapshot["authentication-settings"]

# METADATA
# title: Multi-factor authentication is not required
# custom:
#   severity: critical
#   sensitivity: confidential
#   frameworks:
#     - {framework: PCI DSS 4.0, control: "8.4.2"}
#     - {framework: HIPAA, control: "164.312(d)"}
#     - {framework: SOC 2, control: CC6.1}
#     - {framework: ISO 27001:2022, control: A.8.5}
mfa_not_required contains v if {
	auth.multifactorAuthenticationRequired != true
	v := {"surface": "authentication-settings", "path": "multifactorAuthenticationRequired", "message": "users can sign in without a second factor"}
}

mfa_not_required contains v if {
	auth
	not "multifactorAuthenticationRequired" in object.keys(auth)
	v := {"surface": "authentication-settings", "path": "multifactorAuthenticationRequired", "message": "multi-factor authentication is not configured"}
}

# METADATA
# title: Password minimum length below policy
# custom:
#   severity: high
#   sensitivity: internal
#   frameworks:
#     - {framework: PCI DSS 4.0, control: "8.3.6"}
#     - {framework: ISO 27001:2022, control: A.5.17}
password_too_short contains v if {
	length := auth.passwordRequirements.minimumLength
	length < lib.thresholds.password_min_length
	v := {
		"surface": "authentication-settings",
		"path": "passwordRequirements.minimumLength",
		"message": sprintf("minimum password length is %d, policy requires at least %d", [length, lib.thresholds.password_min_length]),
	}
}

# METADATA
# title: Idle session timeout above the HIPAA limit
# custom:
#   severity: high
#   sensitivity: internal
#   frameworks:
#     - {framework: HIPAA, control: "164.312(a)(2)(iii)"}
idle_timeout_above_hipaa_limit contains v if {
	input.snapshot.features.hipaa == true
	timeout := input.snapshot["idle-token-timeout"]
	not idle_timeout_within(timeout, lib.thresholds.hipaa_idle_timeout_seconds)
	v := {
		"surface": "idle-token-timeout",
		"path": "idleTokenTimeoutSeconds",
		"message": sprintf("HIPAA is enabled but idle sessions last %v seconds (limit %d)", [object.get(timeout, "idleTokenTimeoutSeconds", "unlimited"), lib.thresholds.hipaa_idle_timeout_seconds]),
	}
}

idle_timeout_within(t, limit) if {
	t.enableIdleTokenTimeout == true
	t.idleTokenTimeoutSeconds <= limit
}

# METADATA
# title: Recording retention shorter than the required minimum
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: HIPAA, control: "164.316(b)(2)(i)"}
#     - {framework: PCI DSS 4.0, control: "3.2.1"}
retention_below_minimum contains v if {
	some policy in input.snapshot["media-retention-policies"].entities
	policy.enabled == true
	some kind, media in policy.mediaPolicies
	days := media.actions.retentionDuration.deleteRetention.days
	days < lib.thresholds.retention_min_days
	v := {
		"surface": "media-retention-policies",
		"path": sprintf("entities[id=%s].mediaPolicies.%s.actions.retentionDuration.deleteRetention.days", [policy.id, kind]),
		"message": sprintf("policy %q deletes %s recordings after %d days (minimum %d)", [policy.name, kind, days, lib.thresholds.retention_min_days]),
	}
}

# METADATA
# title: OAuth client with administrative roles has no owner
# description: Every client-credentials client holding admin roles must name an owner (`owner:` in its description).
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: SOC 2, control: CC6.2}
#     - {framework: ISO 27001:2022, control: A.5.9}
oauth_admin_client_without_owner contains v if {
	some client in input.snapshot["oauth-clients"].entities
	client.state == "active"
	some rd in client.roleDivisions
	some role in input.snapshot.roles.entities
	role.id == rd.roleId
	lib.role_is_admin(role)
	not has_owner(client)
	v := {
		"surface": "oauth-clients",
		"path": sprintf("entities[id=%s]", [client.id]),
		"message": sprintf("client %q holds admin role %q but names no owner", [client.name, role.name]),
	}
}

has_owner(client) if contains(lower(object.get(client, "description", "")), "owner:")

# METADATA
# title: IP allow-list entry outside the allowed ranges
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: PCI DSS 4.0, control: "1.3.1"}
#     - {framework: SOC 2, control: CC6.6}
ip_allowlist_outside_allowed contains v if {
	count(lib.allowed_cidrs) > 0
	some cidr in auth.ipAddressAllowlist
	not cidr_allowed(cidr)
	v := {
		"surface": "authentication-settings",
		"path": sprintf("ipAddressAllowlist[=%s]", [cidr]),
		"message": sprintf("%s is not inside any allowed range", [cidr]),
	}
}

cidr_allowed(cidr) if {
	some allowed in lib.allowed_cidrs
	net.cidr_contains(allowed, cidr)
}
