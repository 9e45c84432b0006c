import Foundation
import GatehouseCore
import GatehouseTesting
import Testing

@Suite("proxy: WebSocket pass-through", .serialized)
struct ProxyWebSocketTests {
    /// A masked client frame (RFC 6455 §5.2) with a payload under 126 bytes.
    private func clientFrame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        return [0x80 | opcode, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    @Test("the upgrade is tunnelled: 101 with the gateway's headers, frames echoed both ways, one outcome when it closes")
    func echo() async throws {
        let fixture = try ProxyFixture.start(upstreams: 1)
        let socket = try BlockingSocket(port: fixture.port)
        try socket.send(
            "GET /api/live/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        let handshake = String(decoding: socket.receive { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }, as: UTF8.self)
        #expect(handshake.hasPrefix("HTTP/1.1 101"))
        #expect(handshake.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "the upstream's handshake reaches the client")
        #expect(handshake.lowercased().contains("upgrade: websocket"))
        #expect(handshake.contains("X-Gateway: wedsync-api-gateway"))

        for message in ["first dance", "RSVP from table 7"] {
            try socket.send(clientFrame(opcode: 0x1, Array(message.utf8)))
            let reply = socket.receive { $0.count >= 2 + message.utf8.count }
            #expect(reply == [0x81, UInt8(message.utf8.count)] + Array(message.utf8))
        }
        try socket.send(clientFrame(opcode: 0x8, [0x03, 0xE8]))
        let closing = socket.receive { $0.count >= 4 }
        #expect(Array(closing.prefix(4)) == [0x88, 0x02, 0x03, 0xE8])
        #expect(socket.receive { _ in false }.isEmpty, "the tunnel closes after the closing handshake")

        fixture.stop()
        defer { fixture.directory.remove() }
        let outcomes = try fixture.outcomes()
        #expect(outcomes.count == 1)
        #expect(outcomes.first?.status == 101)
        #expect(outcomes.first?.path == "/api/live/ws")
        #expect((outcomes.first?.requestBytes ?? 0) > 0 && (outcomes.first?.responseBytes ?? 0) > 0)
    }
}
