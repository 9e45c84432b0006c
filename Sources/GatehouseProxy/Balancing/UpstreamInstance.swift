import GatehouseCore

/// One backend instance as an ``UpstreamPool`` hands it to an attempt: shared, so an attempt
/// holds it by one reference where a copy of the ``BackendService`` would be some 200 bytes and
/// a dozen counted fields, retained when chosen and released when the request ends. Its fields
/// read as the service's (`instance.serviceURL`), and its address is parsed once for all.
@dynamicMemberLookup
public final class UpstreamInstance: Sendable {
    public let service: BackendService
    /// Its `service_url`, parsed once (`nil`: not an http(s) URL).
    public let address: UpstreamAddress?

    public init(_ service: BackendService) {
        self.service = service
        address = UpstreamAddress(serviceURL: service.serviceURL)
    }

    public subscript<Value>(dynamicMember field: KeyPath<BackendService, Value>) -> Value { service[keyPath: field] }
}
