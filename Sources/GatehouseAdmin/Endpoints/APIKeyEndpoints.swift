import GatehouseCore
import GatehouseEngine
import Hummingbird

/// `/api/gateway/api-keys…`: the spec's key management. Keys are generated here (256 random bits
/// after the `gh_` prefix); only their SHA-256 enters the log, and the plaintext is in the
/// response to the create or rotate call and nowhere else. Admins see every key; an API consumer
/// sees and manages only the keys it owns — any other key is "not found", not "forbidden", so
/// its existence does not leak.
struct APIKeyEndpoints {
    let services: AdminServices

    private static let updatable: Set<String> = [
        "key_name", "scopes", "allowed_origins", "rate_limit_tier", "usage_quota", "is_active", "expires_at", "metadata",
    ]
    private static let creatable = updatable.union(["owner_id", "owner_type"]).subtracting(["is_active"])
    private static let template = APIKey(keyName: "", apiKeyHash: String(repeating: "0", count: 64), apiKeyPrefix: "gh_")
    private static let createSchema = BodySchema(EntityForm(writable: creatable, required: ["key_name"]), template: template)
    private static let updateSchema = BodySchema(EntityForm(writable: updatable, required: []), template: template)

    func register(on routes: AdminRoutes) {
        routes.add(.get, "/api/gateway/api-keys", "List API keys (consumers: their own; filters: owner_id, is_active)", tag: "api keys", access: .owner) { request, context in try list(request, context) }
        routes.add(.post, "/api/gateway/api-keys", "Create an API key; the plaintext is in this response only", tag: "api keys", access: .owner, body: Self.createSchema, success: .created) { request, context in try await create(request, context) }
        routes.add(.get, "/api/gateway/api-keys/{key_id}", "Show an API key", tag: "api keys", access: .owner) { _, context in
            let (key, state) = try lookup(context)
            return try AdminResponse.json(["api_key": view(key, usage: try usage(of: [key.id])[key.id])], revision: state.revision(of: key.id))
        }
        routes.add(.put, "/api/gateway/api-keys/{key_id}", "Change an API key", tag: "api keys", access: .owner, body: Self.updateSchema) { request, context in try await update(request, context) }
        routes.add(.delete, "/api/gateway/api-keys/{key_id}", "Revoke an API key (immediately, everywhere)", tag: "api keys", access: .owner, success: .noContent) { request, context in
            let (key, _) = try lookup(context)
            try await services.commands.execute([.revokeAPIKey(key.id)], request: request, context: context)
            return AdminResponse.noContent
        }
        routes.add(.post, "/api/gateway/api-keys/{key_id}/rotate", "Rotate an API key, optionally keeping the old one valid for a grace period", tag: "api keys", access: .owner, body: BodySchema(properties: ["grace_period_seconds": .object(["type": "integer"])])) { request, context in try await rotate(request, context) }
        routes.add(.get, "/api/gateway/api-keys/{key_id}/usage", "Requests today and this month, quota remaining, 30-day history", tag: "api keys", access: .owner) { _, context in try usageReport(context) }
    }

    private func list(_ request: Request, _ context: AdminContext) throws -> Response {
        let caller = try context.caller
        var keys = services.state.apiKeys.values.filter { key in caller.ownerScope.map { key.ownerID == $0 } ?? true }
        if let owner = request.uri.queryParameters.get("owner_id") { keys = keys.filter { $0.ownerID == owner } }
        if let active = request.uri.queryParameters.get("is_active") { keys = keys.filter { String($0.isActive) == active } }
        keys.sort { ($0.keyName, $0.id) < ($1.keyName, $1.id) }
        let usage = try usage(of: Set(keys.map(\.id)))
        return try AdminResponse.json(["api_keys": .array(keys.map { view($0, usage: usage[$0.id]) }), "total_count": JSONValue.int(keys.count)])
    }

    private func create(_ request: Request, _ context: AdminContext) async throws -> Response {
        let caller = try context.caller
        var body = try await JSONBody.object(request, context: context)
        if let owner = caller.ownerScope {
            if let given = body["owner_id"], given != .string(owner) {
                throw AdminError.forbidden("an API consumer can create keys only for itself")
            }
            body["owner_id"] = .string(owner)
        }
        let secret = SecretGenerator.token(prefix: "gh_")
        let form = EntityForm<APIKey>(writable: Self.creatable, required: ["key_name"])
        let key = try form.create(body, template: APIKey(keyName: "", apiKeyHash: APIKeyHash.hash(secret), apiKeyPrefix: APIKeyHash.prefix(of: secret)))
        try await services.commands.execute([.issueAPIKey(key)], request: request, context: context)
        let state = services.state
        guard let issued = state.apiKeys[key.id] else { throw AdminError.notFound("API key") }
        return try AdminResponse.json(
            ["api_key": view(issued, usage: nil).adding(["api_key": .string(secret)])], status: .created, revision: state.revision(of: key.id)
        )
    }

    private func update(_ request: Request, _ context: AdminContext) async throws -> Response {
        let (current, _) = try lookup(context)
        let body = try await JSONBody.object(request, context: context)
        let key = try EntityForm<APIKey>(writable: Self.updatable, required: ["key_name"]).update(body, current: current)
        try await services.commands.execute([.updateAPIKey(key)], request: request, context: context)
        let state = services.state
        return try AdminResponse.json(["api_key": view(state.apiKeys[key.id] ?? key, usage: try usage(of: [key.id])[key.id])], revision: state.revision(of: key.id))
    }

    private func rotate(_ request: Request, _ context: AdminContext) async throws -> Response {
        let (key, _) = try lookup(context)
        let body = try await JSONBody.object(request, context: context, allowEmpty: true)
        try JSONBody.allow(body, only: ["grace_period_seconds"])
        let grace = try JSONBody.decode(Rotation.self, base: .emptyObject, patch: body).gracePeriodSeconds ?? 0
        let secret = SecretGenerator.token(prefix: "gh_")
        try await services.commands.execute(
            [.rotateAPIKey(key.id, newHash: APIKeyHash.hash(secret), newPrefix: APIKeyHash.prefix(of: secret), gracePeriodSeconds: grace)],
            request: request, context: context
        )
        let state = services.state
        guard let rotated = state.apiKeys[key.id] else { throw AdminError.notFound("API key") }
        let response: [String: JSONValue] = [
            "new_api_key": .string(secret), "api_key_prefix": .string(rotated.apiKeyPrefix), "rotated_at": .optional(rotated.rotatedAt?.rfc3339),
            "previous_key_valid_until": .optional(rotated.previousKeyValidUntil?.rfc3339),
        ]
        return try AdminResponse.json(response, revision: state.revision(of: key.id))
    }

    private func usageReport(_ context: AdminContext) throws -> Response {
        let (key, _) = try lookup(context)
        let now = Timestamp.now()
        let historyStart = now.startOfDay.adding(seconds: -29 * 86_400)
        let end = now.adding(seconds: 60)
        let (today, month, byDay) = try services.metrics.read { buckets in
            let dimension = MetricDimension.key(key.id)
            let days = (0 ..< 30).map { offset in
                let day = historyStart.adding(seconds: Int64(offset) * 86_400)
                return (day, buckets.tally(dimension, from: day, to: day.adding(seconds: 86_400)))
            }
            return (buckets.tally(dimension, from: now.startOfDay, to: end), buckets.tally(dimension, from: now.startOfMonth, to: end), days)
        }
        let history = byDay.map { day, tally -> JSONValue in
            .object([
                "date": .string(day.dateString), "requests": .int(tally.requests), "errors": .int(tally.errors),
                "average_response_time": .number(tally.averageMilliseconds),
            ])
        }
        let lastRequest = try services.keyActivity.current().lastUsed[key.id]
        let remainingToday: JSONValue = key.usageQuota.daily.map { .int(max(0, $0 - Int(today.quotaCounted))) } ?? .null
        let remainingMonth: JSONValue = key.usageQuota.monthly.map { .int(max(0, $0 - Int(month.quotaCounted))) } ?? .null
        let stats: [String: JSONValue] = [
            "requests_today": .int(today.requests), "requests_this_month": .int(month.requests),
            "quota_remaining_today": remainingToday, "quota_remaining_month": remainingMonth,
            "last_request_at": .optional(lastRequest?.rfc3339),
        ]
        let report: [String: JSONValue] = ["usage_stats": .object(stats), "usage_history": .array(history)]
        return try AdminResponse.json(report)
    }

    /// This month's and today's requests per key, from the metrics projection, with each key's
    /// `last_used_at` from its projection.
    private func usage(of keys: Set<APIKeyID>) throws -> [APIKeyID: KeyUsage] {
        guard !keys.isEmpty else { return [:] }
        let now = Timestamp.now()
        let select = { (dimension: MetricDimension) in if case .key(let id) = dimension { keys.contains(id) } else { false } }
        let (today, month) = try services.metrics.read { buckets in
            (buckets.tallies(from: now.startOfDay, to: now.adding(seconds: 60), where: select),
             buckets.tallies(from: now.startOfMonth, to: now.adding(seconds: 60), where: select))
        }
        let activity = try services.keyActivity.current()
        return Dictionary(uniqueKeysWithValues: keys.map { id in
            (id, KeyUsage(today: Int(today[.key(id)]?.requests ?? 0), month: Int(month[.key(id)]?.requests ?? 0), lastUsed: activity.lastUsed[id]))
        })
    }

    private func lookup(_ context: AdminContext) throws -> (APIKey, ConfigState) {
        let caller = try context.caller
        let id: APIKeyID = try context.parameters.id("key_id", "API key")
        let state = services.state
        guard let key = state.apiKeys[id], caller.ownerScope.map({ key.ownerID == $0 }) ?? true else { throw AdminError.notFound("API key") }
        return (key, state)
    }

    /// The spec's key listing entry (never the hash).
    private func view(_ key: APIKey, usage: KeyUsage?) -> JSONValue {
        let daily: JSONValue = key.usageQuota.daily.map { .int($0) } ?? .null
        let monthly: JSONValue = key.usageQuota.monthly.map { .int($0) } ?? .null
        let quota: [String: JSONValue] = [
            "daily": daily, "monthly": monthly, "used_today": .int(usage?.today ?? 0), "used_this_month": .int(usage?.month ?? 0),
        ]
        let fields: [String: JSONValue] = [
            "id": .string(key.id.description), "key_name": .string(key.keyName), "api_key_prefix": .string(key.apiKeyPrefix),
            "owner_id": .optional(key.ownerID), "owner_type": .string(key.ownerType.rawValue), "scopes": .array(key.scopes.map(JSONValue.string)),
            "allowed_origins": .array(key.allowedOrigins.map(JSONValue.string)), "rate_limit_tier": .string(key.rateLimitTier.rawValue),
            "usage_quota": .object(quota),
            "is_active": .bool(key.isActive), "expires_at": .optional(key.expiresAt?.rfc3339),
            "last_used_at": .optional(usage?.lastUsed?.rfc3339), "rotated_at": .optional(key.rotatedAt?.rfc3339),
            "revoked_at": .optional(key.revokedAt?.rfc3339), "metadata": key.metadata,
            "created_at": .string(key.createdAt.rfc3339), "updated_at": .string(key.updatedAt.rfc3339),
        ]
        return .object(fields)
    }

    private struct KeyUsage {
        var today = 0
        var month = 0
        var lastUsed: Timestamp?
    }

    private struct Rotation: Codable {
        var gracePeriodSeconds: Int?
        enum CodingKeys: String, CodingKey { case gracePeriodSeconds = "grace_period_seconds" }
    }
}
