import GatehouseCore
import NIOHTTP1

/// Where the client is, as a trusted CDN in front says: CloudFront's
/// `CloudFront-Viewer-Latitude` and `CloudFront-Viewer-Longitude` (decimal degrees) for the
/// `geo_based` strategy, and `CloudFront-Viewer-Country` / `-City` (or Cloudflare's
/// `CF-IPCountry`) for analytics; read only from ``TrustedProxies``.
public enum ClientLocation {
    public static let latitudeHeader = "cloudfront-viewer-latitude"
    public static let longitudeHeader = "cloudfront-viewer-longitude"

    /// The point in `headers`, if both fields hold valid coordinates.
    public static func from(_ headers: ReceivedFields) -> GeoPoint? {
        guard let latitude = headers.first(name: latitudeHeader).flatMap(Double.init),
              let longitude = headers.first(name: longitudeHeader).flatMap(Double.init),
              (-90 ... 90).contains(latitude), (-180 ... 180).contains(longitude) else { return nil }
        return GeoPoint(latitude: latitude, longitude: longitude)
    }

    /// The country (ISO code) and city in `headers`, if the CDN named them.
    public static func place(from headers: ReceivedFields) -> (country: String?, city: String?) {
        let country = headers.first(name: "cloudfront-viewer-country") ?? headers.first(name: "cf-ipcountry")
        let city = headers.first(name: "cloudfront-viewer-city")
        return (country.flatMap { $0.isEmpty || $0 == "XX" ? nil : $0 }, city.flatMap { $0.isEmpty ? nil : $0 })
    }
}
