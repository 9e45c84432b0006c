import GatehouseCore

/// One backend instance as an ``UpstreamPool`` hands it to an attempt: shared, so an attempt
/// holds it by one reference where a copy of the ``BackendService`` would be some 200 bytes and
/// a dozen counted fields, retained when chosen and released when the request ends. Its fields
/// read as the service's (`instance.serviceURL`).
@dynamicMemberLookup
public final class UpstreamInstance: Sendable {
    public let service: BackendService

    public init(_ service: BackendService) {
        self.service = service
    }

    public subscript<Value>(dynamicMember field: KeyPath<BackendService, Value>) -> Value { service[keyPath: field] }
}
