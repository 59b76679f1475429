# Shared helpers and tunable thresholds for driftwarden's shipped policies.
# Override any threshold with a data file (config `policies.data`) holding
# {"thresholds": {...}}: it is mounted at data.config.
package driftwarden.lib

import rego.v1

default_thresholds := {
	"password_min_length": 12,
	"retention_min_days": 90,
	"hipaa_idle_timeout_seconds": 900,
	"access_token_max_seconds": 86400,
}

default user_thresholds := {}

user_thresholds := data.config.thresholds

thresholds := object.union(default_thresholds, user_thresholds)

# CIDR ranges the organization allows in its IP allow-list; empty = not checked.
default allowed_cidrs := []

allowed_cidrs := data.config.allowed_cidrs

# Drift entries of one surface, with their index in input.drift.
drift_on(surface) := {i: d |
	some i, d in input.drift
	d.surface == surface
}

# A whole entity of a list surface (`entities[id=…]`), added or removed as one drift path.
# Plain string tests, not a regex: they run inside the module, with no host call per path.
is_entity(d) if {
	startswith(d.pathText, "entities[id=")
	endswith(d.pathText, "]")
	not contains(d.pathText, "].")
	not contains(d.pathText, "][")
}

# Permission actions that amount to administration.
admin_actions := {"*", "add", "edit", "delete", "admin", "manage"}

is_admin_policy(p) if p.domain == "*"

is_admin_policy(p) if {
	some a in p.actionSet
	a in admin_actions
}

role_is_admin(role) if {
	some p in role.permissionPolicies
	is_admin_policy(p)
}

role_is_admin(role) if contains(lower(role.name), "admin")
