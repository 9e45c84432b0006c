import GatehouseCore
import GatehouseProxy
import NIOCore
import NIOHTTP1
import Testing

@Suite("Trusted proxies and client location")
struct TrustedProxiesTests {
    private func ip(_ text: String) -> ClientIP? {
        (try? SocketAddress(ipAddress: text, port: 0)).flatMap { ClientIP($0) }
    }

    @Test("a trusted set is the union of its blocks; no address is never trusted")
    func blocks() throws {
        let trusted = TrustedProxies([try #require(.init("10.0.0.0/8")), try #require(.init("192.168.1.7")), try #require(.init("fd00::/8"))])
        #expect(trusted.contains(ip("10.200.3.4")))
        #expect(!trusted.contains(ip("11.0.0.1")))
        #expect(trusted.contains(ip("192.168.1.7")) && !trusted.contains(ip("192.168.1.8")))
        #expect(trusted.contains(ip("fd12::1")) && !trusted.contains(ip("fe80::1")))
        #expect(!trusted.contains(nil))
    }

    @Test("the original client is the right-most X-Forwarded-For hop that is not a trusted proxy")
    func originalClient() throws {
        let trusted = TrustedProxies([try #require(.init("10.0.0.0/8"))])
        let peer = ip("10.0.0.1")
        #expect(trusted.originalClient(peer: peer, forwardedFor: ["6.6.6.6, 203.0.113.9, 10.1.1.1"]) == ip("203.0.113.9"))
        #expect(trusted.originalClient(peer: peer, forwardedFor: []) == peer)
        #expect(trusted.originalClient(peer: peer, forwardedFor: ["not-an-ip"]) == peer)
        #expect(trusted.originalClient(peer: ip("203.0.113.50"), forwardedFor: ["6.6.6.6"]) == ip("203.0.113.50"), "untrusted peers are taken as they are")
    }

    @Test("client location comes from both CloudFront viewer fields, valid coordinates only")
    func location() {
        #expect(ClientLocation.from(["CloudFront-Viewer-Latitude": "48.85", "CloudFront-Viewer-Longitude": "2.35"]) == GeoPoint(latitude: 48.85, longitude: 2.35))
        #expect(ClientLocation.from(["CloudFront-Viewer-Latitude": "48.85"]) == nil)
        #expect(ClientLocation.from(["CloudFront-Viewer-Latitude": "91", "CloudFront-Viewer-Longitude": "2"]) == nil)
    }
}
