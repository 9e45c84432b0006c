import Foundation
import GatehouseCore
import NIOHTTP1

/// The API version a request asks for outside its path: the `API-Version` or `Accept-Version`
/// field, or a media-type parameter in `Accept` — `application/json; version=2` or a vendor type
/// such as `application/vnd.wedsync.v2+json`.
enum VersionRequest {
    /// The version token the request names, if any (`API-Version` wins over `Accept-Version`,
    /// which wins over `Accept`).
    static func token(in headers: ReceivedFields) -> String? {
        for name in ["api-version", "accept-version"] {
            if let value = headers.first(name: name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        for mediaType in headers[canonicalForm: "accept"] {
            let element = HeaderElement(mediaType)
            if let version = element.parameter("version"), !version.isEmpty { return version }
            // application/vnd.<vendor>.v2+json
            let type = element.value
            if type.hasPrefix("application/vnd.") {
                let name = type.dropFirst("application/vnd.".count).split(separator: "+").first ?? ""
                if let last = name.split(separator: ".").last, last.hasPrefix("v"), last.dropFirst().allSatisfy(\.isNumber), last.count > 1 {
                    return String(last)
                }
            }
        }
        return nil
    }
}
