import GatehouseCore
import NIOHTTP1

/// The credential a request carries, and in which field: `X-API-Key: …`, or
/// `Authorization: Bearer …` (the spec accepts both for API keys).
struct PresentedCredential: Equatable {
    enum Field: Equatable {
        case apiKeyHeader
        case authorizationBearer
    }

    let secret: String
    let field: Field

    /// The request's credential, if it carries one (`X-API-Key` wins over `Authorization`).
    static func find(in headers: ReceivedFields) -> PresentedCredential? {
        if let key = headers.first(name: "x-api-key")?.trimmingCharacters(in: .whitespaces), !key.isEmpty {
            return PresentedCredential(secret: key, field: .apiKeyHeader)
        }
        guard let authorization = headers.first(name: "authorization") else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : PresentedCredential(secret: token, field: .authorizationBearer)
    }
}
