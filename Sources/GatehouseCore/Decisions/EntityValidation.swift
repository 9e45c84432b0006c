/// The constraints each entity must meet on its own, before references and uniqueness.
enum EntityValidation {
    static func validate(_ gateway: Gateway) throws(ConfigError) {
        try FieldValidation.nonEmpty(gateway.name, "name", maxLength: 100)
        guard gateway.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw .invalid("name", "may contain letters, digits, '-', '_' and '.' only")
        }
        try FieldValidation.httpURL(gateway.baseURL, "base_url")
        if let alerting = gateway.alerting { try validate(alerting) }
        try FieldValidation.range(gateway.healthCheckInterval, "health_check_interval", 1 ... 3600)
        try FieldValidation.range(gateway.timeoutConfig.connect, "timeout_config.connect", 1 ... 600_000)
        try FieldValidation.range(gateway.timeoutConfig.read, "timeout_config.read", 1 ... 3_600_000)
        try FieldValidation.range(gateway.timeoutConfig.write, "timeout_config.write", 1 ... 3_600_000)
        if gateway.sslConfig.enabled, gateway.sslConfig.certificatePath == nil || gateway.sslConfig.privateKeyPath == nil {
            throw .invalid("ssl_config", "enabled TLS needs certificate_path and private_key_path")
        }
        let cors = gateway.corsConfig
        if cors.credentials, cors.allowedOrigins.contains("*") {
            throw .invalid("cors_config.allowed_origins", "'*' cannot be combined with credentials: true")
        }
        for method in cors.allowedMethods where RouteMethod(rawValue: method.uppercased()) == nil {
            throw .invalid("cors_config.allowed_methods", "unknown method '\(method)'")
        }
        if let rules = gateway.ipRestriction { try checkIPRestriction(rules, "ip_restriction") }
        if let introspection = gateway.oauthIntrospection {
            try FieldValidation.httpURL(introspection.endpoint, "oauth_introspection.endpoint")
            try FieldValidation.nonEmpty(introspection.clientID, "oauth_introspection.client_id")
            guard !introspection.clientSecretEnv.isEmpty, introspection.clientSecretEnv.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw .invalid("oauth_introspection.client_secret_env", "must name an environment variable")
            }
            try FieldValidation.range(introspection.cacheSeconds, "oauth_introspection.cache_seconds", 0 ... 3600)
        }
        for (index, provider) in (gateway.jwtConfig?.providers ?? []).enumerated() {
            try checkJWTProvider(provider, "jwt_config.providers[\(index)]")
        }
    }

    static func validate(_ service: BackendService) throws(ConfigError) {
        try FieldValidation.nonEmpty(service.serviceName, "service_name", maxLength: 100)
        try FieldValidation.semanticVersion(service.serviceVersion, "service_version")
        try FieldValidation.httpURL(service.serviceURL, "service_url")
        try FieldValidation.absolutePath(service.healthCheckEndpoint, "health_check_endpoint")
        try FieldValidation.range(service.weight, "weight", 0 ... 10_000)
        try FieldValidation.range(service.priority, "priority", 1 ... 100)
        try FieldValidation.range(service.maxConnections, "max_connections", 1 ... 100_000)
        try FieldValidation.range(service.timeoutMS, "timeout_ms", 1 ... 3_600_000)
        try FieldValidation.range(service.retryAttempts, "retry_attempts", 0 ... 10)
        let breaker = service.circuitBreakerConfig
        try FieldValidation.range(breaker.failureThreshold, "circuit_breaker_config.failure_threshold", 1 ... 10_000)
        try FieldValidation.range(breaker.timeout, "circuit_breaker_config.timeout", 1 ... 86_400_000)
        try FieldValidation.range(breaker.halfOpenMaxCalls, "circuit_breaker_config.half_open_max_calls", 1 ... 10_000)
        guard case .object = service.metadata else { throw .invalid("metadata", "must be an object") }
    }

    static func validate(_ route: Route) throws(ConfigError) {
        let template: RouteTemplate
        do {
            template = try RouteTemplate(route.routePath)
        } catch {
            throw .invalid("route_path", error.description)
        }
        if let upstream = route.upstreamPath {
            let rewrite: RouteTemplate
            do {
                rewrite = try RouteTemplate(upstream)
            } catch {
                throw .invalid("upstream_path", error.description)
            }
            for name in rewrite.parameterNames where !template.parameterNames.contains(name) {
                throw .invalid("upstream_path", "uses {\(name)}, which route_path does not define")
            }
            if rewrite.segments.contains(.wildcard), !template.segments.contains(.wildcard) {
                throw .invalid("upstream_path", "uses '*', which route_path does not end with")
            }
        }
        try FieldValidation.range(route.routePriority, "route_priority", -1000 ... 1000)
        for (index, step) in route.middlewareConfig.enumerated() {
            try FieldValidation.nonEmpty(step.name, "middleware_config[\(index)].name", maxLength: 100)
            if step.name == "ip_restriction" {
                guard let rules = step.ipRestriction else {
                    throw .invalid("middleware_config[\(index)].config", "must be {\"allow\": [...], \"deny\": [...]} with lists of addresses or CIDR blocks")
                }
                try checkIPRestriction(rules, "middleware_config[\(index)].config")
            }
            if step.name == "request_signing" {
                let field = "middleware_config[\(index)].config"
                guard let signing = step.requestSigning, !signing.keys.isEmpty else {
                    throw .invalid(field, "must be {\"keys\": [{\"key_id\", \"secret_env\"}, …]} with at least one key")
                }
                for key in signing.keys where key.keyID.isEmpty || !key.secretEnv.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) || key.secretEnv.isEmpty {
                    throw .invalid("\(field).keys", "each key needs a key_id and a secret_env naming an environment variable")
                }
                try FieldValidation.range(signing.maxSkewSeconds, "\(field).max_skew_seconds", 1 ... 3600)
                try FieldValidation.range(signing.maxBodyBytes, "\(field).max_body_bytes", 0 ... 64 * 1024 * 1024)
            }
        }
        let limits = route.rateLimitConfig
        if let value = limits.requestsPerSecond { try FieldValidation.range(value, "rate_limit_config.requests_per_second", 0 ... 1_000_000) }
        if let value = limits.requestsPerMinute { try FieldValidation.range(value, "rate_limit_config.requests_per_minute", 0 ... 60_000_000) }
        if let value = limits.burstLimit { try FieldValidation.range(value, "rate_limit_config.burst_limit", 0 ... 1_000_000) }
        try FieldValidation.tokens(route.authRequirements.roles, "auth_requirements.roles")
        try FieldValidation.tokens(route.authRequirements.scopes, "auth_requirements.scopes")
        if !route.authRequirements.required, !route.authRequirements.roles.isEmpty || !route.authRequirements.scopes.isEmpty {
            throw .invalid("auth_requirements.required", "must be true when roles or scopes are required")
        }
        try FieldValidation.range(route.cacheConfig.ttl, "cache_config.ttl", 0 ... 31_536_000)
        try FieldValidation.tokens(route.cacheConfig.varyBy, "cache_config.vary_by")
        try FieldValidation.tokens(route.cacheConfig.tags, "cache_config.tags")
        if route.cacheConfig.invalidateOn.contains(where: { [.get, .head, .options].contains($0) }) {
            throw .invalid("cache_config.invalidate_on", "only unsafe methods (POST, PUT, PATCH, DELETE) invalidate")
        }
        do throws(RouteTransforms.Invalid) {
            _ = try RouteTransforms(route.transformationConfig)
        } catch {
            throw .invalid(error.field, error.reason)
        }
    }

    private static func checkJWTProvider(_ provider: JWTProvider, _ field: String) throws(ConfigError) {
        try FieldValidation.nonEmpty(provider.issuer, "\(field).issuer", maxLength: 500)
        try FieldValidation.range(provider.clockSkewSeconds, "\(field).clock_skew_seconds", 0 ... 3600)
        guard provider.jwks != nil || provider.jwksURL != nil || !provider.hmacKeys.isEmpty else {
            throw .invalid(field, "needs jwks, jwks_url or hmac_keys")
        }
        if let url = provider.jwksURL { try FieldValidation.httpURL(url, "\(field).jwks_url") }
        if let jwks = provider.jwks {
            guard case .array(let keys)? = jwks["keys"], !keys.isEmpty, keys.allSatisfy({ key in
                if case .string? = key["kty"], case .string? = key["kid"], case .string? = key["alg"] { return true }
                return false
            }) else { throw .invalid("\(field).jwks", "must be a JWK Set whose keys each name kty, kid and alg") }
        }
        for (index, key) in provider.hmacKeys.enumerated() {
            guard ["HS256", "HS384", "HS512"].contains(key.algorithm) else {
                throw .invalid("\(field).hmac_keys[\(index)].algorithm", "must be HS256, HS384 or HS512")
            }
            guard !key.secretEnv.isEmpty, key.secretEnv.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw .invalid("\(field).hmac_keys[\(index)].secret_env", "must name an environment variable")
            }
        }
        for (claim, header) in provider.forwardClaims {
            guard !claim.isEmpty, !header.isEmpty, header.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw .invalid("\(field).forward_claims", "'\(claim)' → '\(header)': header names are letters, digits and '-'")
            }
        }
    }

    private static func checkIPRestriction(_ rules: IPRestriction, _ field: String) throws(ConfigError) {
        do {
            _ = try rules.compiled()
        } catch {
            throw .invalid(field, "'\(error.entry)' is not an IP address or CIDR block")
        }
    }

    static func validate(_ key: APIKey) throws(ConfigError) {
        try FieldValidation.nonEmpty(key.keyName, "key_name", maxLength: 200)
        guard APIKeyHash.isWellFormed(key.apiKeyHash) else { throw .invalid("api_key_hash", "must be 64 lowercase hex digits") }
        guard (4 ... 16).contains(key.apiKeyPrefix.count) else { throw .invalid("api_key_prefix", "must be 4 to 16 characters") }
        try FieldValidation.tokens(key.scopes, "scopes")
        for origin in key.allowedOrigins where origin != "*" {
            try FieldValidation.httpURL(origin, "allowed_origins")
        }
        if let daily = key.usageQuota.daily { try FieldValidation.range(daily, "usage_quota.daily", 0 ... 1_000_000_000) }
        if let monthly = key.usageQuota.monthly { try FieldValidation.range(monthly, "usage_quota.monthly", 0 ... 1_000_000_000) }
        if let daily = key.usageQuota.daily, let monthly = key.usageQuota.monthly, daily > monthly {
            throw .invalid("usage_quota.daily", "must not exceed usage_quota.monthly")
        }
        guard case .object = key.metadata else { throw .invalid("metadata", "must be an object") }
    }

    static func validate(_ policy: RateLimitPolicy) throws(ConfigError) {
        try FieldValidation.nonEmpty(policy.policyName, "policy_name", maxLength: 100)
        try FieldValidation.range(policy.requestsPerSecond, "requests_per_second", 0 ... 1_000_000)
        try FieldValidation.range(policy.requestsPerMinute, "requests_per_minute", 0 ... 60_000_000)
        try FieldValidation.range(policy.requestsPerHour, "requests_per_hour", 0 ... 1_000_000_000)
        try FieldValidation.range(policy.requestsPerDay, "requests_per_day", 0 ... 1_000_000_000)
        try FieldValidation.range(policy.burstLimit, "burst_limit", 0 ... 1_000_000)
        try FieldValidation.range(policy.blockedDurationSeconds, "blocked_duration_seconds", 0 ... 86_400)
        let windows = [
            ("requests_per_minute", policy.requestsPerSecond, policy.requestsPerMinute),
            ("requests_per_hour", policy.requestsPerMinute, policy.requestsPerHour),
            ("requests_per_day", policy.requestsPerHour, policy.requestsPerDay),
        ]
        for (field, shorter, longer) in windows where longer < shorter {
            throw .invalid(field, "must not be lower than the shorter window's limit (\(shorter))")
        }
    }

    static func validate(_ alerting: AlertingConfig) throws(ConfigError) {
        for (index, webhook) in alerting.webhooks.enumerated() { try FieldValidation.httpURL(webhook, "alerting.webhooks[\(index)]") }
        var names: Set<String> = []
        for (index, rule) in alerting.rules.enumerated() {
            let field = "alerting.rules[\(index)]"
            try FieldValidation.nonEmpty(rule.name, "\(field).name", maxLength: 100)
            guard names.insert(rule.name).inserted else { throw .invalid("\(field).name", "'\(rule.name)' is used by another rule") }
            try FieldValidation.range(rule.windowMinutes, "\(field).window_minutes", 1 ... 1440)
            try FieldValidation.range(rule.minRequests, "\(field).min_requests", 0 ... 1_000_000_000)
            switch rule.type {
            case .errorRate, .quotaUsage:
                guard rule.threshold > 0, rule.threshold <= 1 else { throw .invalid("\(field).threshold", "must be a share above 0 and at most 1") }
            case .latencyP95:
                guard rule.threshold > 0 else { throw .invalid("\(field).threshold", "must be a positive number of milliseconds") }
            case .trafficSpike, .errorSpike:
                guard rule.factor > 1 else { throw .invalid("\(field).factor", "must be above 1") }
                try FieldValidation.range(rule.baselineMinutes, "\(field).baseline_minutes", rule.windowMinutes ... 10_080)
            case .upstreamDown: break
            }
        }
    }

    static func validate(_ version: APIVersion) throws(ConfigError) {
        try FieldValidation.nonEmpty(version.versionName, "version_name", maxLength: 32)
        guard version.versionName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
            throw .invalid("version_name", "may contain letters, digits, '.' and '-' only")
        }
        try FieldValidation.semanticVersion(version.versionNumber, "version_number")
        if let deprecation = version.deprecationDate, let sunset = version.sunsetDate, sunset < deprecation {
            throw .invalid("sunset_date", "must not be before deprecation_date")
        }
        if version.isDefault, version.isDeprecated {
            throw .invalid("is_default", "a deprecated version cannot be the default")
        }
        if let rollout = version.rollout {
            guard (0 ... 100).contains(rollout.percentage) else { throw .invalid("rollout.percentage", "must be between 0 and 100") }
            guard !version.isDefault else { throw .invalid("rollout", "the default version already serves every request that names none") }
            guard !version.isDeprecated, version.sunsetDate == nil else { throw .invalid("rollout", "a deprecated version cannot be rolled out") }
        }
    }

    static func validate(_ document: APIDocumentation) throws(ConfigError) {
        guard case .object(let object) = document.openapiSpec, object["openapi"] != nil || object["swagger"] != nil else {
            throw .invalid("openapi_spec", "must be an OpenAPI document (an object with an 'openapi' field)")
        }
    }
}
