"""The policy the tests decide and generate by: the shipped one (intake/policy/binzhou-2020.toml), read once
as an entry point reads it and handed down like everywhere else."""

from intake.policy.policy import default_policy

POLICY = default_policy()
