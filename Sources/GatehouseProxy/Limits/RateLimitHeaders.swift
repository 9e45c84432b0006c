import GatehouseCore

/// The pieces of the response fields describing limits (``RateLimitFields``): the IETF draft's
/// `RateLimit-Policy` and `RateLimit` (Structured Field lists, one item per rule:
/// `"name";q=quota;w=window` and `"name";r=remaining;t=seconds-to-reset`), the names of the
/// five fields every limited response carries, and the rules' names.
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

    /// `RateLimit-Policy` for `rules` when no enforced rule's window varies, so that it can be
    /// built once (``LimitPlan``); `nil` when a calendar month's length enters it.
    static func fixedPolicy(_ rules: [LimitRule]) -> String? {
        let enforced = rules.filter(\.enforced)
        let items = enforced.compactMap(\.policyItem)
        return items.count == enforced.count ? items.joined(separator: ", ") : nil
    }

    /// Room ``writePolicy(_:_:into:)`` needs at most.
    static func policyCapacity(_ rules: [LimitRule]) -> Int {
        rules.reduce(0) { $0 + 2 + ($1.policyItem?.utf8.count ?? $1.fieldName.utf8.count + 6 + 2 * FieldValueWriter.numberCapacity) }
    }

    /// `RateLimit-Policy` for this request: each enforced rule's item, a varying window's with
    /// this period's length.
    static func writePolicy(_ rules: [LimitRule], _ verdicts: [LimitVerdict], into writer: inout FieldValueWriter) {
        var first = true
        for index in rules.indices where rules[index].enforced {
            let rule = rules[index]
            if !first { writer.append(", ") }
            first = false
            if let item = rule.policyItem {
                writer.append(item)
            } else {
                writer.append(rule.fieldName)
                writer.append(";q=")
                writer.append(rule.quota)
                writer.append(";w=")
                writer.append(verdicts[index].windowSeconds)
            }
        }
    }

    /// Room ``writeState(_:_:into:)`` needs at most.
    static func stateCapacity(_ rules: [LimitRule]) -> Int {
        rules.reduce(0) { $0 + $1.fieldName.utf8.count + 8 + 2 * FieldValueWriter.numberCapacity }
    }

    /// `RateLimit`: each enforced rule's remaining requests and seconds to its reset.
    static func writeState(_ rules: [LimitRule], _ verdicts: [LimitVerdict], into writer: inout FieldValueWriter) {
        var first = true
        for index in rules.indices where rules[index].enforced {
            if !first { writer.append(", ") }
            first = false
            writer.append(rules[index].fieldName)
            writer.append(";r=")
            writer.append(verdicts[index].remaining)
            writer.append(";t=")
            writer.append(seconds(verdicts[index].resetMicros))
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
