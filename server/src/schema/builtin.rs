//! The flavors compiled into the binary, from `grammars/flavors/`.

/// `(name, toml)` of every built-in flavor, in load order.
pub fn builtin_sources() -> [(&'static str, &'static str); 9] {
    [
        (
            "builtin:product-dev",
            include_str!("../../../grammars/flavors/product-dev.toml"),
        ),
        (
            "builtin:infrastructure-ops",
            include_str!("../../../grammars/flavors/infrastructure-ops.toml"),
        ),
        (
            "builtin:context-bundles",
            include_str!("../../../grammars/flavors/context-bundles.toml"),
        ),
        (
            "builtin:agent-os-v1",
            include_str!("../../../grammars/flavors/agent-os-v1.toml"),
        ),
        (
            "builtin:spec-kit",
            include_str!("../../../grammars/flavors/spec-kit.toml"),
        ),
        (
            "builtin:rpi",
            include_str!("../../../grammars/flavors/rpi.toml"),
        ),
        (
            "builtin:agents",
            include_str!("../../../grammars/flavors/agents.toml"),
        ),
        (
            "builtin:kiro",
            include_str!("../../../grammars/flavors/kiro.toml"),
        ),
        (
            "builtin:openspec",
            include_str!("../../../grammars/flavors/openspec.toml"),
        ),
    ]
}
