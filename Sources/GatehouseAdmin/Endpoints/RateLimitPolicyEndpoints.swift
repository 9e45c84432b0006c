import GatehouseCore
import Hummingbird

/// `/api/gateway/rate-limit-policies…`: the spec's `rate_limit_policies` (tiers and their windows).
struct RateLimitPolicyEndpoints {
    let services: AdminServices

    private var resource: EntityResource<RateLimitPolicy> {
        EntityResource(
            services: services, name: "rate_limit_policy",
            form: EntityForm(
                writable: [
                    "policy_name", "tier", "requests_per_second", "requests_per_minute", "requests_per_hour", "requests_per_day",
                    "burst_limit", "quota_reset_strategy", "blocked_duration_seconds", "is_active", "enforcement",
                ],
                required: ["policy_name", "tier"]
            ),
            find: { state, id in state.rateLimitPolicies[id] },
            view: { policy, state in ((try? JSONValue(encoding: policy)) ?? .null).adding(["revision": .int(state.revision(of: policy.id) ?? 0)]) }
        )
    }

    func register(on routes: AdminRoutes) {
        let services = services
        resource.register(
            ResourceEndpoints(
                collection: "/api/gateway/rate-limit-policies", item: "/api/gateway/rate-limit-policies/{policy_id}",
                tag: "rate-limit policies", plural: "rate_limit_policies",
                summaries: .init(
                    list: "List rate-limit policies", create: "Define a rate-limit policy", show: "Show a rate-limit policy",
                    update: "Change a rate-limit policy", remove: "Remove a rate-limit policy"
                ),
                all: { _ in
                    let state = services.state
                    return (state.rateLimitPolicies.values.sorted { ($0.tier, $0.policyName) < ($1.tier, $1.policyName) }, state)
                },
                template: { _ in RateLimitPolicy(policyName: "", tier: .basic) },
                find: { context in try Self.lookup(context, services) },
                create: ConfigCommand.defineRateLimitPolicy, update: ConfigCommand.updateRateLimitPolicy,
                remove: ConfigCommand.removeRateLimitPolicy
            ),
            schemaTemplate: RateLimitPolicy(policyName: "", tier: .basic), on: routes
        )
    }

    private static func lookup(_ context: AdminContext, _ services: AdminServices) throws -> (RateLimitPolicy, ConfigState) {
        let id: RateLimitPolicyID = try context.parameters.id("policy_id", "rate-limit policy")
        let state = services.state
        guard let policy = state.rateLimitPolicies[id] else { throw AdminError.notFound("rate-limit policy") }
        return (policy, state)
    }
}
