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
        let schema = BodySchema(resource.form, template: RateLimitPolicy(policyName: "", tier: .basic))
        routes.add(.get, "/api/gateway/rate-limit-policies", "List rate-limit policies", tag: "rate-limit policies") { _, context in
                let state = services.state
            return try resource.list(state.rateLimitPolicies.values.sorted { ($0.tier, $0.policyName) < ($1.tier, $1.policyName) }, plural: "rate_limit_policies", state)
        }
        routes.add(.post, "/api/gateway/rate-limit-policies", "Define a rate-limit policy", tag: "rate-limit policies", body: schema, success: .created) { request, context in
                let template = RateLimitPolicy(policyName: "", tier: .basic)
            return try await resource.create(request, context, template: template, command: ConfigCommand.defineRateLimitPolicy)
        }
        routes.add(.get, "/api/gateway/rate-limit-policies/{policy_id}", "Show a rate-limit policy", tag: "rate-limit policies") { _, context in
            let (policy, state) = try lookup(context)
            return try resource.show(policy, state)
        }
        routes.add(.put, "/api/gateway/rate-limit-policies/{policy_id}", "Change a rate-limit policy", tag: "rate-limit policies", body: schema) { request, context in
            let (policy, _) = try lookup(context)
            return try await resource.update(request, context, current: policy, command: ConfigCommand.updateRateLimitPolicy)
        }
        routes.add(.delete, "/api/gateway/rate-limit-policies/{policy_id}", "Remove a rate-limit policy", tag: "rate-limit policies", success: .noContent) { request, context in
            let (policy, _) = try lookup(context)
            return try await resource.remove(request, context, .removeRateLimitPolicy(policy.id))
        }
    }

    private func lookup(_ context: AdminContext) throws -> (RateLimitPolicy, ConfigState) {
        let id: RateLimitPolicyID = try context.parameters.id("policy_id", "rate-limit policy")
        let state = services.state
        guard let policy = state.rateLimitPolicies[id] else { throw AdminError.notFound("rate-limit policy") }
        return (policy, state)
    }
}
