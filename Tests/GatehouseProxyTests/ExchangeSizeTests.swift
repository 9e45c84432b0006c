import GatehouseCore
import Testing

@testable import GatehouseProxy

/// Every request allocates an exchange: it must stay within the largest block glibc's
/// per-thread cache serves (1,032 bytes), or each one is allocated and freed on malloc's slow
/// path. The large values an exchange holds only sometimes (the API key, the limit result) are
/// kept out of line for that.
struct ExchangeSizeTests {
    @Test("an exchange fits glibc's per-thread cache")
    func fitsTheThreadCache() {
        let exchange = Exchange(
            head: ClientRequestHead(method: .GET, uri: "/api/v1/weddings", version: .http1_1, headers: [:]), requestID: "r1",
            startTime: Timestamp(microseconds: 1)
        )
        let block = malloc_usable_size(Unmanaged.passUnretained(exchange).toOpaque())
        #expect(block > 0 && block <= 1032, "an exchange takes a \(block)-byte block")
    }
}

/// glibc's `malloc_usable_size` (in `<malloc.h>`, which the Glibc module does not export): the
/// usable size of the block holding `pointer`.
@_silgen_name("malloc_usable_size")
private func malloc_usable_size(_ pointer: UnsafeMutableRawPointer?) -> Int
