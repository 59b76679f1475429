# Drift classification: each rule collects the indexes of input.drift it matches.
# Its METADATA gives the finding's title, severity, sensitivity and framework controls.
package driftwarden.drift

import rego.v1

import data.driftwarden.lib

# METADATA
# title: Multi-factor authentication is no longer required
# description: Turning MFA off lets a stolen password alone open an administrator session.
# custom:
#   severity: critical
#   sensitivity: confidential
#   frameworks:
#     - {framework: PCI DSS 4.0, control: "8.4.2"}
#     - {framework: HIPAA, control: "164.312(d)"}
#     - {framework: SOC 2, control: CC6.1}
#     - {framework: ISO 27001:2022, control: A.8.5}
mfa_disabled contains i if {
	some i, d in lib.drift_on("authentication-settings")
	d.pathText == "multifactorAuthenticationRequired"
	d.new != true
}

# METADATA
# title: IP allow-list widened
# description: A new address range may sign in, or the allow-list was removed altogether.
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: PCI DSS 4.0, control: "1.3.1"}
#     - {framework: SOC 2, control: CC6.6}
#     - {framework: ISO 27001:2022, control: A.8.20}
ip_allowlist_widened contains i if {
	some i, d in lib.drift_on("authentication-settings")
	startswith(d.pathText, "ipAddressAllowlist[")
	d.kind == "ADDED"
}

ip_allowlist_widened contains i if {
	some i, d in lib.drift_on("authentication-settings")
	d.pathText == "ipAddressAllowlist"
	d.kind == "REMOVED"
}

# METADATA
# title: Password policy weakened
# description: A password requirement was lowered.
# custom:
#   severity: high
#   sensitivity: internal
#   frameworks:
#     - {framework: PCI DSS 4.0, control: "8.3.6"}
#     - {framework: SOC 2, control: CC6.1}
#     - {framework: ISO 27001:2022, control: A.5.17}
password_policy_weakened contains i if {
	some i, d in lib.drift_on("authentication-settings")
	startswith(d.pathText, "passwordRequirements.minimum")
	d.new < d.old
}

password_policy_weakened contains i if {
	some i, d in lib.drift_on("authentication-settings")
	d.pathText == "passwordRequirements.expirationDays"
	d.new > d.old
}

# METADATA
# title: Idle session timeout loosened
# custom:
#   severity: high
#   sensitivity: internal
#   frameworks:
#     - {framework: HIPAA, control: "164.312(a)(2)(iii)"}
#     - {framework: PCI DSS 4.0, control: "8.2.8"}
idle_timeout_loosened contains i if {
	some i, d in lib.drift_on("idle-token-timeout")
	d.pathText == "idleTokenTimeoutSeconds"
	d.new > d.old
}

idle_timeout_loosened contains i if {
	some i, d in lib.drift_on("idle-token-timeout")
	d.pathText == "enableIdleTokenTimeout"
	d.new != true
}

# METADATA
# title: Regulated-data feature switched off
# description: The HIPAA or PCI feature of the organization was disabled.
# custom:
#   severity: critical
#   sensitivity: confidential
#   frameworks:
#     - {framework: HIPAA, control: "164.308(a)(1)"}
#     - {framework: PCI DSS 4.0, control: "12.5.2"}
compliance_feature_disabled contains i if {
	some i, d in lib.drift_on("features")
	d.pathText in {"hipaa", "pci"}
	d.new != true
}

# METADATA
# title: Recording retention shortened or removed
# description: Recordings may now be deleted before the regulated retention period.
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: HIPAA, control: "164.316(b)(2)(i)"}
#     - {framework: PCI DSS 4.0, control: "3.2.1"}
#     - {framework: SOC 2, control: CC7.2}
#     - {framework: ISO 27001:2022, control: A.5.33}
retention_shortened contains i if {
	some i, d in lib.drift_on("media-retention-policies")
	contains(d.pathText, "retentionDuration")
	endswith(d.pathText, ".days")
	d.new < d.old
}

retention_shortened contains i if {
	some i, d in lib.drift_on("media-retention-policies")
	lib.is_entity(d)
	d.kind == "REMOVED"
}

retention_shortened contains i if {
	some i, d in lib.drift_on("media-retention-policies")
	endswith(d.pathText, ".enabled")
	d.old == true
	d.new != true
}

# METADATA
# title: New OAuth client
# description: A new API client can obtain tokens for this organization.
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: SOC 2, control: CC6.2}
#     - {framework: ISO 27001:2022, control: A.5.18}
#     - {framework: PCI DSS 4.0, control: "7.2.1"}
oauth_client_added contains i if {
	some i, d in lib.drift_on("oauth-clients")
	lib.is_entity(d)
	d.kind == "ADDED"
}

# METADATA
# title: OAuth client grant or token lifetime changed
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: SOC 2, control: CC6.2}
oauth_client_grant_changed contains i if {
	some i, d in lib.drift_on("oauth-clients")
	some suffix in {".authorizedGrantType", ".roleDivisions", ".scope"}
	contains(d.pathText, suffix)
}

oauth_client_grant_changed contains i if {
	some i, d in lib.drift_on("oauth-clients")
	endswith(d.pathText, ".accessTokenValiditySeconds")
	d.new > d.old
}

# METADATA
# title: Role gained administrative permissions
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: SOC 2, control: CC6.3}
#     - {framework: ISO 27001:2022, control: A.8.2}
#     - {framework: PCI DSS 4.0, control: "7.2.2"}
role_gained_admin contains i if {
	some i, d in lib.drift_on("roles")
	d.kind == "ADDED"
	contains(d.pathText, ".permissionPolicies")
	policy_grants_admin(d.new)
}

role_gained_admin contains i if {
	some i, d in lib.drift_on("roles")
	d.kind == "ADDED"
	lib.is_entity(d)
	lib.role_is_admin(d.new)
}

policy_grants_admin(p) if lib.is_admin_policy(p)

# an action added to an existing policy's actionSet
policy_grants_admin(a) if a in lib.admin_actions

# METADATA
# title: Single sign-on identity provider changed
# custom:
#   severity: high
#   sensitivity: confidential
#   frameworks:
#     - {framework: SOC 2, control: CC6.1}
#     - {framework: ISO 27001:2022, control: A.5.16}
identity_provider_changed contains i if {
	some i, _ in lib.drift_on("identity-providers")
}

# METADATA
# title: Integration credentials changed
# custom:
#   severity: high
#   sensitivity: secret
#   frameworks:
#     - {framework: SOC 2, control: CC6.1}
#     - {framework: PCI DSS 4.0, control: "8.6.3"}
integration_credentials_changed contains i if {
	some i, _ in lib.drift_on("integration-credentials")
}

# METADATA
# title: Integration added, removed or reconfigured
# custom:
#   severity: medium
#   sensitivity: internal
#   frameworks:
#     - {framework: SOC 2, control: CC8.1}
integration_changed contains i if {
	some i, _ in lib.drift_on("integrations")
}

# METADATA
# title: Cosmetic organization setting changed
# description: Names, languages and other presentation settings; recorded for completeness.
# custom:
#   severity: low
#   sensitivity: public
#   frameworks: []
cosmetic_change contains i if {
	some i, d in lib.drift_on("organization")
	d.pathText in {"name", "defaultLanguage", "defaultCountryCode", "supportURI", "thirdPartyURI"}
}
