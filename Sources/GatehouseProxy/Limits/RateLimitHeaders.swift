import GatehouseCore

/// What the response fields describing limits (``RateLimitFields``) are made of: the IETF
/// draft's `RateLimit-Policy` and `RateLimit` are Structured Field lists, one item per enforced
/// rule, `"name";q=quota;w=window` and `"name";r=remaining;t=seconds-to-reset`
/// (``LimitFieldLayout``); here the rules' names, the seconds they count in, and the names of
/// the five fields every limited response carries.
enum RateLimitHeaders {
    /// Whether a field named `name` (any case) is one of the five that ``RateLimitFields`` sets
    /// on every limited request (not `Retry-After`, which only its refusals carry).
    static func isLimitField(_ name: some FieldName) -> Bool {
        switch name.byteCount {
        case 9: name.isNamed("RateLimit")
        case 16: name.isNamed("RateLimit-Policy")
        case 17: name.isNamed("X-RateLimit-Limit") || name.isNamed("X-RateLimit-Reset")
        case 21: name.isNamed("X-RateLimit-Remaining")
        default: false
        }
    }

    /// Whole seconds, rounded up.
    static func seconds(_ micros: Int64) -> Int { Int((max(micros, 0) + 999_999) / 1_000_000) }

    /// A rule's Structured Field string: `"policy-window"`, printable ASCII only, escaped.
    static func fieldName(policy: String, window: String) -> String {
        var text = "\""
        for scalar in "\(policy)-\(window)".unicodeScalars where scalar.value >= 0x20 && scalar.value < 0x7F {
            if scalar == "\"" || scalar == "\\" { text.append("\\") }
            text.unicodeScalars.append(scalar)
        }
        return text + "\""
    }
}
