import GatehouseCore
import Testing

/// Who a rollout includes: stable buckets, the percentage split, segments, and the decider's rules.
@Suite("version rollout")
struct VersionRolloutTests {
    let version = APIVersionID()

    @Test("over 10,000 consumers a 30% rollout includes 30% ± 5%, and each consumer always lands on the same side")
    func split() {
        let rollout = VersionRollout(percentage: 30)
        let consumers = (0 ..< 10_000).map { RolloutConsumer(identity: "key:\($0)") }
        let included = consumers.filter { rollout.includes($0, versionID: version) }.count
        #expect(abs(included - 3000) <= 500, "included \(included)")
        #expect(consumers.allSatisfy { rollout.includes($0, versionID: version) == rollout.includes($0, versionID: version) })
        #expect(!consumers.contains { VersionRollout(percentage: 0).includes($0, versionID: version) })
        #expect(consumers.allSatisfy { VersionRollout(percentage: 100).includes($0, versionID: version) })
        #expect(RolloutConsumer(identity: "key:1").bucket(for: version) == RolloutConsumer(identity: "key:1").bucket(for: version))
    }

    @Test("segments: a tier, an owner type, or all of the claims include a consumer whatever the percentage")
    func segments() {
        let rollout = VersionRollout(percentage: 0, tiers: [.enterprise], ownerTypes: [.vendor], claims: ["beta": "true", "org": "acme"])
        #expect(rollout.includes(RolloutConsumer(identity: "a", tier: .enterprise), versionID: version))
        #expect(!rollout.includes(RolloutConsumer(identity: "a", tier: .basic), versionID: version))
        #expect(rollout.includes(RolloutConsumer(identity: "b", ownerType: .vendor), versionID: version))
        #expect(rollout.includes(RolloutConsumer(identity: "c", claims: ["beta": "true", "org": "acme", "x": "y"]), versionID: version))
        #expect(!rollout.includes(RolloutConsumer(identity: "c", claims: ["beta": "true"]), versionID: version))
    }

    @Test("the decider refuses a rollout of the default or a deprecated version, and percentages outside 0…100")
    func validation() throws {
        let gateway = GatewayID()
        func publish(_ version: APIVersion) throws -> [ControlEvent] {
            let commands: [ConfigCommand] = [.createGateway(Gateway(id: gateway, name: "g", baseURL: "http://g.example")), .publishAPIVersion(version)]
            return try ConfigDecider.decide(commands, state: ConfigState(), context: CommandContext(time: Timestamp(microseconds: 1_000_000), actor: "test"))
        }
        #expect(throws: ConfigError.self) {
            try publish(APIVersion(gatewayID: gateway, versionName: "v1", versionNumber: "1.0.0", isDefault: true, rollout: VersionRollout(percentage: 10)))
        }
        #expect(throws: ConfigError.self) {
            try publish(APIVersion(gatewayID: gateway, versionName: "v2", versionNumber: "2.0.0", rollout: VersionRollout(percentage: 101)))
        }
        #expect(throws: ConfigError.self) {
            try publish(APIVersion(gatewayID: gateway, versionName: "v2", versionNumber: "2.0.0", isDeprecated: true, rollout: VersionRollout(percentage: 5)))
        }
        #expect(try publish(APIVersion(gatewayID: gateway, versionName: "v2", versionNumber: "2.0.0", rollout: VersionRollout(percentage: 5))).count == 2)
    }
}
