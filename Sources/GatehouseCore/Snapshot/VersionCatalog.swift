/// A gateway's API versions, compiled for the proxy: found by the names and numbers clients
/// use (`v2`, `2`, `2.1`, `2.1.0`), the default one, and where each version's name sits in its
/// routes' paths — so a request for `/api/weddings/1` asking for version 2 can be matched as
/// `/api/v2/weddings/1`.
public struct VersionCatalog: Sendable {
    public let byID: [APIVersionID: APIVersion]
    /// The version a request gets when it names none (`is_default`).
    public let defaultVersion: APIVersion?
    /// Versions being rolled out to requests that name none, in name order (the first that
    /// includes a consumer wins).
    public let rollouts: [APIVersion]
    private let byToken: [String: APIVersion]
    private let byName: [String: APIVersion]
    /// The index of the version's name among its routes' path segments.
    private let segmentIndex: [APIVersionID: Int]

    public init(versions: [APIVersion], routes: [Route]) {
        byID = Dictionary(uniqueKeysWithValues: versions.map { ($0.id, $0) })
        defaultVersion = versions.first(where: \.isDefault)
        rollouts = versions.filter { $0.rollout != nil && !$0.isDefault && !$0.isDeprecated && $0.sunsetDate == nil }
            .sorted { $0.versionName < $1.versionName }
        byName = Dictionary(versions.map { ($0.versionName.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var tokens: [String: [APIVersion]] = [:]
        for version in versions {
            var names = [version.versionName.lowercased(), version.versionNumber.lowercased()]
            let parts = version.versionNumber.split(separator: ".")
            if let major = parts.first {
                names += [String(major), "v\(major)"]
                if parts.count > 1 { names.append("\(major).\(parts[1])") }
            }
            for name in Set(names) where !name.isEmpty { tokens[name, default: []].append(version) }
        }
        // A token two versions share (`2` for 2.0.0 and 2.1.0) names neither — except their names.
        byToken = tokens.compactMapValues { $0.count == 1 ? $0[0] : nil }.merging(byName) { _, name in name }
        var indexes: [APIVersionID: Int] = [:]
        for route in routes {
            guard let id = route.apiVersionID, indexes[id] == nil, let version = byID[id] else { continue }
            let segments = route.routePath.split(separator: "/").map { $0.lowercased() }
            if let index = segments.firstIndex(of: version.versionName.lowercased()) { indexes[id] = index }
        }
        segmentIndex = indexes
    }

    /// The version a client names (`v2`, `V2`, `2`, `2.1.0`), if the gateway has it.
    public func version(named token: String) -> APIVersion? {
        var token = token.lowercased()
        while token.hasSuffix(".0"), byToken[token] == nil { token.removeLast(2) }
        return byToken[token]
    }

    /// The version whose name is a segment of `path` (`/api/v1/weddings` → v1).
    public func version(inPath path: String) -> APIVersion? {
        guard !byName.isEmpty else { return nil }
        for segment in path.split(separator: "/") {
            if let version = byName[segment.lowercased()] { return version }
        }
        return nil
    }

    /// `path` with `version`'s name inserted where that version's routes have it; `nil` when
    /// its routes do not carry the name (or the path is too short).
    public func path(_ path: String, in version: APIVersion) -> String? {
        guard let index = segmentIndex[version.id] else { return nil }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard index < segments.count else { return nil }
        segments.insert(version.versionName, at: index)
        return "/" + segments.joined(separator: "/")
    }
}
