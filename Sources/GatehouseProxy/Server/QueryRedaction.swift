/// Removes secrets from query strings before they are logged.
public enum QueryRedaction {
    /// Parameter names whose values are replaced (compared case-insensitively).
    public static let sensitiveNames: Set<String> = [
        "api_key", "apikey", "key", "token", "access_token", "id_token", "refresh_token", "password", "secret",
        "client_secret", "signature", "sig", "code",
    ]

    /// `query` with the value of every sensitive parameter replaced by `REDACTED`.
    public static func redact(_ query: Substring) -> String {
        guard !query.isEmpty else { return "" }
        return query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals].lowercased()
            return sensitiveNames.contains(name) ? "\(pair[..<equals])=REDACTED" : String(pair)
        }.joined(separator: "&")
    }
}
