import GatehouseCore

/// Response fields announcing a version's retirement: `Deprecation` (RFC 9745, the date as
/// `@<epoch seconds>`), `Sunset` (RFC 8594, an HTTP date) and `Link`s to the migration guide
/// with `rel="deprecation"` and `rel="sunset"`, plus `API-Version` naming the version served.
enum VersionFields {
    static func fields(for version: APIVersion) -> [(String, String)] {
        var fields = [("API-Version", version.versionName)]
        if version.isDeprecated || version.deprecationDate != nil {
            let since = version.deprecationDate ?? version.updatedAt
            fields.append(("Deprecation", "@\(since.microseconds / 1_000_000)"))
        }
        if let sunset = version.sunsetDate { fields.append(("Sunset", sunset.httpDate)) }
        if let guide = version.migrationGuide, guide.hasPrefix("https://") || guide.hasPrefix("http://"), fields.count > 1 {
            fields.append(("Link", "<\(guide)>; rel=\"deprecation\"; type=\"text/html\""))
            if version.sunsetDate != nil { fields.append(("Link", "<\(guide)>; rel=\"sunset\"")) }
        }
        return fields
    }
}
