import GatehouseCore
import NIOCore
import NIOHTTP1
import Testing

@testable import GatehouseProxy

/// W3C `traceparent`: what is accepted, and how the gateway continues or starts a trace.
@Suite("trace context")
struct TraceContextTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test("valid and invalid traceparent values", arguments: [
        (valid, true), ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", true),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false),
        ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", false), ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false),
        ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false), ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false),
        ("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", false), ("garbage", false),
        (" \t" + valid + " ", true), ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", true),
        ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", false), ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", false),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01", false), ("0-04bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false),
    ] as [(String, Bool)])
    func parsing(value: String, accepted: Bool) {
        #expect((TraceContext.parse(value) != nil) == accepted)
    }

    @Test("an incoming trace is continued with the gateway's span; without one a sampled trace starts")
    func forwarding() throws {
        var random = SplitMix64(seed: 5)
        let (continued, keeps) = TraceContext.forward(["traceparent": Self.valid], random: &random)
        #expect(keeps && continued.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && continued.flags == "01")
        #expect(continued.spanID != "00f067aa0ba902b7" && continued.spanID.count == 16)
        #expect(TraceContext.parse(continued.header) != nil)
        let (started, startedKeeps) = TraceContext.forward([:], random: &random)
        #expect(!startedKeeps && TraceContext.parse(started.header) != nil && started.flags == "01")
        let (replaced, _) = TraceContext.forward(["traceparent": "00-zz"], random: &random)
        #expect(replaced.traceID != "4bf92f3577b34da6a3ce929d0e0e4736" && TraceContext.parse(replaced.header) != nil)
    }

    @Test("the field written as bytes is the header's text, after what the buffer held")
    func writtenField() throws {
        var random = SplitMix64(seed: 9)
        for incoming in [[("traceparent", Self.valid)], []] {
            let context = TraceContext.forward(ReceivedFields(incoming), random: &random).context
            var buffer = ByteBuffer(string: "Host: a\r\n")
            context.writeField(into: &buffer)
            #expect(String(buffer: buffer) == "Host: a\r\ntraceparent: \(context.header)\r\n")
        }
    }
}
