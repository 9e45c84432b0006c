import GatehouseCore
import GatehouseTesting
import Testing

@Suite("IP restrictions")
struct IPRestrictionTests {
    static func ip(_ text: String) -> ClientIP { ClientIP(bytes: CIDRBlock.addressBytes(text)!)! }

    @Test("CIDR blocks: IPv4 and IPv6, lone addresses, bad input")
    func blocks() throws {
        let private10 = try #require(CIDRBlock("10.0.0.0/8"))
        #expect(private10.contains(Self.ip("10.20.30.40")))
        #expect(!private10.contains(Self.ip("11.0.0.1")))
        #expect(!private10.contains(Self.ip("::ffff:10.0.0.1")))
        let documentation = try #require(CIDRBlock("2001:db8::/32"))
        #expect(documentation.contains(Self.ip("2001:db8:1::5")))
        #expect(!documentation.contains(Self.ip("2001:db9::1")))
        #expect(CIDRBlock("192.0.2.7")?.prefixLength == 32)
        #expect(CIDRBlock("10.0.0.0/9")?.contains(Self.ip("10.128.0.1")) == false)
        for bad in ["10.0.0.0/33", "banana", "10.0.0/8", "::1/129", "10.0.0.1/", ""] { #expect(CIDRBlock(bad) == nil, "\(bad)") }
    }

    @Test("deny wins; a non-empty allow list refuses the rest; unknown addresses pass only without an allow list")
    func permits() throws {
        let rules = try IPRestriction(allow: ["10.0.0.0/8", "2001:db8::/32"], deny: ["10.9.0.0/16"]).compiled()
        #expect(rules.permits(Self.ip("10.1.2.3")))
        #expect(!rules.permits(Self.ip("10.9.2.3")))
        #expect(!rules.permits(Self.ip("192.0.2.1")))
        #expect(rules.permits(Self.ip("2001:db8::1")))
        #expect(!rules.permits(nil))
        let denyOnly = try IPRestriction(deny: ["192.0.2.0/24"]).compiled()
        #expect(denyOnly.permits(Self.ip("198.51.100.1")) && !denyOnly.permits(Self.ip("192.0.2.1")) && denyOnly.permits(nil))
        #expect(throws: IPRestriction.InvalidEntry(entry: "10.0.0.0/40")) { try IPRestriction(allow: ["10.0.0.0/40"]).compiled() }
    }

    @Test("the decider refuses malformed rules on gateways and in route middleware")
    func validation() throws {
        var scenario = ConfigScenario()
        var gateway = Samples.gateway()
        gateway.ipRestriction = IPRestriction(deny: ["not-an-ip"])
        #expect(throws: ConfigError.invalid("ip_restriction", "'not-an-ip' is not an IP address or CIDR block")) { try scenario.when(.createGateway(gateway)) }
        gateway.ipRestriction = IPRestriction(allow: ["10.0.0.0/8"])
        try scenario.when(.createGateway(gateway))
        let service = Samples.service(gateway.id)
        try scenario.when(.registerBackendService(service))
        var route = Samples.route(gateway.id, service.id)
        route.middlewareConfig = [MiddlewareStep(name: "ip_restriction", config: ["allow": ["10.0.0.0/99"]])]
        #expect(throws: ConfigError.self) { try scenario.when(.defineRoute(route)) }
        route.middlewareConfig = [MiddlewareStep(name: "ip_restriction", config: ["allowed": ["10.0.0.0/8"]])]
        #expect(throws: ConfigError.self) { try scenario.when(.defineRoute(route)) }
        route.middlewareConfig = [MiddlewareStep(name: "ip_restriction", config: ["deny": ["10.9.0.0/16"]])]
        try scenario.when(.defineRoute(route))
        let view = try #require(ConfigSnapshot(state: scenario.state).gateways.first)
        #expect(view.ipRestriction?.permits(Self.ip("10.1.1.1")) == true)
        #expect(view.ipRestriction(of: route.id)?.permits(Self.ip("10.9.1.1")) == false)
    }
}
