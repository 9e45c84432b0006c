import Foundation
import GatehouseCore

/// A place on Earth, for geo-based balancing.
public struct GeoPoint: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The point in an instance's `metadata` (`latitude` and `longitude` numbers), if valid.
    public init?(metadata: JSONValue) {
        guard case .number(let latitude)? = metadata["latitude"], case .number(let longitude)? = metadata["longitude"],
              (-90 ... 90).contains(latitude), (-180 ... 180).contains(longitude)
        else { return nil }
        self.init(latitude: latitude, longitude: longitude)
    }

    /// Great-circle distance in kilometres (haversine).
    public func distance(to other: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let deltaLatitude = (other.latitude - latitude) * radians
        let deltaLongitude = (other.longitude - longitude) * radians
        let a = sin(deltaLatitude / 2) * sin(deltaLatitude / 2)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(deltaLongitude / 2) * sin(deltaLongitude / 2)
        return 6371 * 2 * atan2(sqrt(a), sqrt(1 - a))
    }
}
